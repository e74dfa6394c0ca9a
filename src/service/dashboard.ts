/**
 * The dashboard page, pure: a view model in, escaped HTML out. Read-mostly: open incidents with
 * their evidence, the action ledger with verify results and undo buttons, autoscaler pools,
 * schedules, leader and version. No scripts (the CSP forbids them): the undo button is a plain
 * HTML form carrying a CSRF token, and a pending undo refreshes the page with a meta refresh.
 */

export interface DashboardView {
  version: string;
  /** The replica that served the page. */
  identity: string;
  /** Whether that replica leads. */
  leader: boolean;
  ready: boolean;
  /** The Lease's holder (the same on every replica). @default unknown */
  leaderIdentity?: string;
  incidents: { title: string; severity: string; since: string; evidence: string[] }[];
  ledger: {
    id: string;
    at: string;
    command: string;
    status: string;
    result?: string;
    /** The incident it answered. @default none */
    incident?: string;
    /** Undo offered (a button) when true; `undoBlocked` says why not otherwise. @default false */
    undoable?: boolean;
    undoBlocked?: string;
  }[];
  pools: {
    name: string;
    replicas: number;
    depth?: number;
    reason?: string;
    /** `1..20`. @default none */
    bounds?: string;
    /** When the last decision was made. @default none */
    decidedAt?: string;
  }[];
  /** Scheduled detectors and reports. @default none shown */
  schedules?: {
    detector: string;
    schedule: string;
    lastRun?: string;
    lastResult?: string;
    nextRun?: string;
  }[];
  /** The undo request the page was redirected to after a click. @default none */
  undo?: { id: string; entry: string; status: string; result?: string; user: string };
  /** What could not be read (each source has a deadline): shown, never fatal. @default none */
  notices?: string[];
}

export interface RenderOptions {
  /** The CSRF token of the viewer's credentials; without it no undo form is rendered. */
  csrfToken?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell: escaped text, or trusted markup built here (`{ html }`). */
type Cell = string | { html: string };

function cell(c: Cell): string {
  return typeof c === 'string' ? escapeHtml(c) : c.html;
}

function table(id: string, headers: string[], rows: Cell[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty" id="${id}">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function undoCell(e: DashboardView['ledger'][number], o: RenderOptions): Cell {
  if (e.undoable && o.csrfToken)
    return {
      html:
        `<form method="post" action="/undo"><input type="hidden" name="entry" value="${escapeHtml(e.id)}">` +
        `<input type="hidden" name="csrf" value="${escapeHtml(o.csrfToken)}">` +
        `<button type="submit" name="undo" value="${escapeHtml(e.id)}">Undo</button></form>`,
    };
  return e.undoBlocked ?? '';
}

function undoBanner(u: NonNullable<DashboardView['undo']>): string {
  const text = `Undo ${u.id} of ${u.entry} (asked by ${u.user}): ${u.status}${u.result ? ` — ${u.result}` : ''}`;
  return `<p id="undo-result" class="undo ${escapeHtml(u.status)}">${escapeHtml(text)}</p>`;
}

export function renderDashboard(v: DashboardView, o: RenderOptions = {}): string {
  const incidents = table(
    'incidents',
    ['Severity', 'Incident', 'Since', 'Evidence'],
    v.incidents.map((i) => [i.severity, i.title, i.since, i.evidence.join('\n')]),
    'No open incidents.',
  );
  const ledger = table(
    'ledger',
    ['Id', 'At', 'Incident', 'Action', 'Status', 'Result', 'Undo'],
    v.ledger.map((e) => [
      e.id,
      e.at,
      e.incident ?? '',
      e.command,
      e.status,
      e.result ?? '',
      undoCell(e, o),
    ]),
    'No actions recorded.',
  );
  const pools = table(
    'pools',
    ['Pool', 'Replicas', 'Bounds', 'Depth', 'Last reason', 'Decided'],
    v.pools.map((p) => [
      p.name,
      String(p.replicas),
      p.bounds ?? '',
      p.depth === undefined ? '' : String(p.depth),
      p.reason ?? '',
      p.decidedAt ?? '',
    ]),
    'No autoscaled pools.',
  );
  const schedules = table(
    'schedules',
    ['Detector', 'Schedule', 'Last run', 'Result', 'Next run'],
    (v.schedules ?? []).map((s) => [
      s.detector,
      s.schedule,
      s.lastRun ?? '',
      s.lastResult ?? '',
      s.nextRun ?? '',
    ]),
    'No schedules.',
  );
  const pending = v.undo && (v.undo.status === 'pending' || v.undo.status === 'running');
  const refresh = pending
    ? `\n<meta http-equiv="refresh" content="2;url=/?undo=${encodeURIComponent(v.undo!.id)}">`
    : '';
  const notices = (v.notices ?? []).map((n) => `<p class="notice">${escapeHtml(n)}</p>`).join('\n');
  const lead = v.leaderIdentity ?? 'unknown';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>berth</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'">${refresh}
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;white-space:pre-wrap;vertical-align:top}.notice{color:#a40}.undo{padding:6px;border:1px solid #888}.done{background:#dfd}.refused,.failed{background:#fdd}</style>
</head><body>
<h1>berth</h1>
<p id="status">version ${escapeHtml(v.version)} · served by ${escapeHtml(v.identity)} (${v.leader ? 'leader' : 'standby'}, ${v.ready ? 'ready' : 'not ready'}) · leader: ${escapeHtml(lead)}</p>
${v.undo ? undoBanner(v.undo) : ''}${notices}
<h2>Open incidents</h2>
${incidents}
<h2>Action ledger</h2>
${ledger}
<h2>Autoscaler pools</h2>
${pools}
<h2>Schedules</h2>
${schedules}
</body></html>
`;
}
