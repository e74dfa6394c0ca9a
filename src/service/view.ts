/**
 * The dashboard's view model, pure (ADR 0111): what the cluster holds (the Lease, the watchdog's
 * incident state and ledger, the undo requests, the pools' Deployments) plus what the service
 * knows locally (version, readiness, the autoscaler's last decisions, the schedules) in; the
 * `DashboardView` out. Every replica reads the same cluster data, so leader and standbys show
 * the same page. No I/O, no clock: `now` is given.
 */
import { leaseExpiry, type LeaseState } from '../release/lock.ts';
import type { LedgerEntry, Policy } from '../watchdog/policy/types.ts';
import type { TrackerState } from '../watchdog/tracker.ts';
import { severityRank } from '../watchdog/model.ts';
import { maskSecrets } from '../secrets/index.ts';
import type { DashboardView } from './dashboard.ts';
import { decideUndo, type UndoRequest } from './view-undo.ts';

/** A pool's Deployment as the cluster has it. */
export interface PoolInput {
  name: string;
  namespace: string;
  /** spec.replicas; absent when the Deployment was not found. */
  replicas?: number;
  min?: number;
  max?: number;
}

/** A pool's last autoscaler decision. */
export interface PoolDecisionInput {
  pool: string;
  /** ms since the epoch. */
  at: number;
  depth?: number;
  reason: string;
}

export interface ScheduleInput {
  detector: string;
  schedule: string;
  /** ms since the epoch, from croner. */
  nextRun?: number;
}

export interface ScheduleRun {
  /** ms since the epoch. */
  at: number;
  /** `sent`, `3 findings`, or what failed. */
  result?: string;
}

export interface ViewInput {
  version: string;
  identity: string;
  leader: boolean;
  ready: boolean;
  /** ms since the epoch. */
  now: number;
  lease?: LeaseState;
  incidents?: TrackerState;
  ledger?: readonly LedgerEntry[];
  requests?: readonly UndoRequest[];
  /** The watchdog's policy; without it (or without an undo handler) no undo is offered. */
  policy?: Policy;
  /** Offer undo buttons at all (an undo handler is configured). @default false */
  undo?: boolean;
  pools?: readonly PoolInput[];
  decisions?: readonly PoolDecisionInput[];
  schedules?: readonly ScheduleInput[];
  runs?: Readonly<Record<string, ScheduleRun>>;
  /** The undo request to show (after a click: `/?undo=<id>`). */
  undoRequest?: string;
  notices?: readonly string[];
  /** Masks incident titles and evidence (serve's one masker). @default the pattern table */
  mask?: (text: string) => string;
}

/** Ledger rows shown (newest first). */
export const ledgerRows = 50;

/** `2026-12-02 16:30:05Z (3 min ago)`. */
export function formatTime(at: number, now: number): string {
  const iso = new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const s = Math.round((now - at) / 1000);
  const ago = s < 0 ? `in ${formatSpan(-s)}` : s < 5 ? 'just now' : `${formatSpan(s)} ago`;
  return `${iso} (${ago})`;
}

function formatSpan(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

function leaderOf(lease: LeaseState | undefined, now: number): string {
  if (!lease) return 'unknown (Lease not read)';
  if (!lease.holder) return 'none (Lease not held)';
  const expires = leaseExpiry(lease);
  return expires > now
    ? lease.holder
    : `none (${lease.holder}'s lease expired ${formatTime(expires, now)})`;
}

function ledgerRowsOf(i: ViewInput): DashboardView['ledger'] {
  const entries = [...(i.ledger ?? [])].sort((a, b) => b.at - a.at).slice(0, ledgerRows);
  return entries.map((e) => {
    const row: DashboardView['ledger'][number] = {
      id: e.id,
      at: formatTime(e.at, i.now),
      incident: e.incident,
      command: e.action.command,
      status: e.status,
    };
    if (e.result) row.result = e.result;
    if (!i.undo || !i.policy) return row;
    const d = decideUndo({
      entryId: e.id,
      entries: i.ledger ?? [],
      requests: i.requests ?? [],
      policy: i.policy,
      now: i.now,
    });
    if (d.type === 'undo') row.undoable = true;
    else if (e.status === 'verified' || e.status === 'failed') row.undoBlocked = d.because;
    return row;
  });
}

function poolRowsOf(i: ViewInput): DashboardView['pools'] {
  return (i.pools ?? []).map((p) => {
    const d = i.decisions?.find((x) => x.pool === p.name);
    const row: DashboardView['pools'][number] = {
      name: `${p.namespace}/${p.name}`,
      replicas: p.replicas ?? 0,
    };
    if (p.min !== undefined || p.max !== undefined) row.bounds = `${p.min ?? '?'}..${p.max ?? '?'}`;
    if (p.replicas === undefined) row.reason = 'Deployment not found';
    if (d) {
      if (d.depth !== undefined) row.depth = d.depth;
      row.reason = d.reason;
      row.decidedAt = formatTime(d.at, i.now);
    }
    return row;
  });
}

export function buildView(i: ViewInput): DashboardView {
  const mask = i.mask ?? ((text: string) => maskSecrets(text));
  const open = Object.values(i.incidents?.open ?? {}).sort(
    (a, b) => severityRank[b.severity] - severityRank[a.severity] || a.firstSeen - b.firstSeen,
  );
  const view: DashboardView = {
    version: i.version,
    identity: i.identity,
    leader: i.leader,
    ready: i.ready,
    leaderIdentity: leaderOf(i.lease, i.now),
    // Masked again here: state written before masking was in place, or by another version.
    incidents: open.map((o) => ({
      title: mask(o.title),
      severity: o.severity,
      since: formatTime(o.firstSeen, i.now),
      evidence: (o.evidence ?? []).map(mask),
    })),
    ledger: ledgerRowsOf(i),
    pools: poolRowsOf(i),
    schedules: [...(i.schedules ?? [])]
      .sort((a, b) => a.detector.localeCompare(b.detector))
      .map((s) => {
        const run = i.runs?.[s.detector];
        const row: NonNullable<DashboardView['schedules']>[number] = {
          detector: s.detector,
          schedule: s.schedule,
        };
        // Without a provider the service does not say: "not recorded", never "not yet".
        row.lastRun = run ? formatTime(run.at, i.now) : i.runs ? 'not yet' : 'not recorded';
        if (run?.result) row.lastResult = run.result;
        if (s.nextRun !== undefined) row.nextRun = formatTime(s.nextRun, i.now);
        return row;
      }),
  };
  if (i.undoRequest !== undefined) {
    const r = i.requests?.find((x) => x.id === i.undoRequest);
    view.undo = r
      ? {
          id: r.id,
          entry: r.entry,
          status: r.status,
          user: r.user,
          ...(r.result ? { result: r.result } : {}),
        }
      : { id: i.undoRequest, entry: '?', status: 'unknown', user: '?', result: 'no such request' };
  }
  if (i.notices?.length) view.notices = [...i.notices];
  return view;
}
