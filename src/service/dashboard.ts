/**
 * The dashboard page, pure: a view model in, escaped HTML out. Read-mostly: open incidents with
 * their evidence, the action ledger, autoscaler pools, leader and version. No scripts.
 */

export interface DashboardView {
  version: string;
  identity: string;
  leader: boolean;
  ready: boolean;
  incidents: { title: string; severity: string; since: string; evidence: string[] }[];
  ledger: { id: string; at: string; command: string; status: string; result?: string }[];
  pools: { name: string; replicas: number; depth?: number; reason?: string }[];
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function renderDashboard(v: DashboardView): string {
  const incidents = table(
    ['Severity', 'Incident', 'Since', 'Evidence'],
    v.incidents.map((i) => [i.severity, i.title, i.since, i.evidence.join('\n')]),
    'No open incidents.',
  );
  const ledger = table(
    ['Id', 'At', 'Action', 'Status', 'Result'],
    v.ledger.map((e) => [e.id, e.at, e.command, e.status, e.result ?? '']),
    'No actions recorded.',
  );
  const pools = table(
    ['Pool', 'Replicas', 'Depth', 'Last reason'],
    v.pools.map((p) => [
      p.name,
      String(p.replicas),
      p.depth === undefined ? '' : String(p.depth),
      p.reason ?? '',
    ]),
    'No autoscaled pools.',
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>berth</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;white-space:pre-wrap}</style>
</head><body>
<h1>berth</h1>
<p id="status">version ${escapeHtml(v.version)} · ${escapeHtml(v.identity)} · ${v.leader ? 'leader' : 'standby'} · ${v.ready ? 'ready' : 'not ready'}</p>
<h2>Open incidents</h2>
${incidents}
<h2>Action ledger</h2>
${ledger}
<h2>Autoscaler pools</h2>
${pools}
</body></html>
`;
}
