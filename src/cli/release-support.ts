/**
 * What the release commands share: connecting (the port, and deploy's applier), naming the
 * release of an input, finding a release's namespace, flags, and printing release outcomes.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyObjects } from '../deploy/apply.ts';
import { waitForReadiness } from '../deploy/wait.ts';
import type { KubeObject } from '../model/object.ts';
import type { ApplyResult } from '../deploy/events.ts';
import type { ApplyInput } from '../deploy/input.ts';
import { applyRelease } from '../release/adapters/operations.ts';
import { UsageError } from '../errors.ts';
import { FieldManager, type KubeApi } from '../kube/api.ts';
import { connectKube } from '../kube/connect.ts';
import { describeRef } from '../model/object.ts';
import { defaultHistoryMax } from '../release/history.ts';
import { checkReleaseName, type ReleaseRef } from '../release/identity.ts';
import { forceUnlock, whoAmI } from '../release/adapters/lease.ts';
import {
  liveReporter,
  plainReporter,
  silentReporter,
  type Reporter,
} from '../deploy/progress/reporters.ts';
import type { ReleaseContext, ShipResult } from '../release/adapters/ship.ts';
import { revisionSelector } from '../release/revision.ts';
import type { CliIO } from './io.ts';
import { version } from './version.ts';

export interface ConnectFlags {
  kubeconfig?: string;
  context?: string;
}

export interface Connection {
  api: KubeApi;
  /** `context "x" (https://...)`, for messages. */
  where: string;
  /** Deploy's apply runner (`applyObjects`) on this context. */
  applier: ReleaseContext['apply'];
  close(): void;
}

/** The port, and deploy's applier over it. */
export async function connect(io: CliIO, flags: ConnectFlags): Promise<Connection> {
  const options = {
    ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    env: io.env,
  };
  const api = await connectKube(options);
  return {
    api,
    where: `context "${api.config.context}" (${api.server})`,
    applier: (objects, o) =>
      applyObjects(api, objects, {
        ...o,
        fieldManager: FieldManager.cli,
        context: api.config.context,
      }),
    close: () => api.close(),
  };
}

export function releaseContext(conn: Connection, release: ReleaseRef): ReleaseContext {
  return { api: conn.api, apply: conn.applier, release, by: whoAmI(), berthVersion: version };
}

/**
 * The release an input ships as: `--release` (with `-n` or the context's namespace), else for a
 * berth spec the Platform's name and namespace; undefined for plain manifests without `--release`.
 */
export async function releaseOfInput(
  input: ApplyInput,
  flags: { release?: string; namespace?: string },
  defaultNamespace: string,
): Promise<ReleaseRef | undefined> {
  if (flags.release)
    return {
      name: checkReleaseName(flags.release),
      namespace: flags.namespace ?? defaultNamespace,
    };
  if (input.kind !== 'spec') return undefined;
  const { loadWorkspace } = await import('../spec/adapters/files.ts');
  const ws = await loadWorkspace(input.source);
  return {
    name: checkReleaseName(ws.platform.name),
    namespace: flags.namespace ?? ws.platform.spec.namespace ?? ws.platform.name,
  };
}

/**
 * The namespace of release `name`: `-n` when given, else the one namespace holding its
 * revisions (found by label across the cluster).
 */
export async function findRelease(
  api: KubeApi,
  name: string,
  namespace: string | undefined,
  deadline: number,
): Promise<ReleaseRef> {
  checkReleaseName(name);
  if (namespace) return { name, namespace };
  const { items } = await api.list(
    { apiVersion: 'v1', kind: 'Secret' },
    { labelSelector: revisionSelector(name), deadline },
  );
  const namespaces = [...new Set(items.map((s) => s.metadata.namespace ?? ''))].sort();
  if (namespaces.length === 1) return { name, namespace: namespaces[0] as string };
  if (namespaces.length === 0)
    throw new UsageError(
      `no release named ${name} on this cluster (no revision Secrets labelled ${revisionSelector(name)})`,
    );
  throw new UsageError(
    `release ${name} exists in several namespaces (${namespaces.join(', ')}): choose one with -n`,
  );
}

/** `-n/--namespace` of a release command. */
export function addReleaseNamespace(command: Command): Command {
  return command.option(
    '-n, --namespace <namespace>',
    'the release namespace (default: found from the release name)',
  );
}

/** The prune lines of a shipped revision. */
export function formatShipLines(r: ShipResult): string {
  const lines: string[] = [];
  for (const ref of r.pruned) lines.push(`pruned ${describeRef(ref)}`);
  for (const ref of r.kept)
    lines.push(
      `kept ${describeRef(ref)}: no longer in the release, not deleted (it holds data; --prune-volumes deletes it)`,
    );
  for (const e of r.pruneErrors) lines.push(`could not prune ${describeRef(e.ref)}: ${e.message}`);
  if (r.ledBy)
    lines.push(
      `applied first the ${r.ledBy.changed} object(s) this revision changes and the ${r.ledBy.objects - r.ledBy.changed} their pods use, then the unchanged rest (each in dependency order)`,
    );
  if (r.surged.length)
    lines.push(
      `rolled ${r.surged.length} Deployment(s) in one step (maxSurge 100%), then re-applied their declared strategy`,
    );
  if (r.strategyNotRestored)
    lines.push(
      `could not re-apply the declared rollout strategy (${r.strategyNotRestored}): they keep maxSurge 100% until the next apply of the release`,
    );
  return lines.map((l) => `${l}\n`).join('');
}

/** The JSON form of a shipped revision. */
export function shipJson(r: ShipResult): Record<string, unknown> {
  return {
    revision: r.revision,
    status: r.status,
    pruned: r.pruned,
    kept: r.kept,
    pruneErrors: r.pruneErrors,
    surged: r.surged,
    ...(r.ledBy ? { ledBy: r.ledBy } : {}),
    ...(r.strategyNotRestored ? { strategyNotRestored: r.strategyNotRestored } : {}),
  };
}

/** The progress reporter for `output` (as `apply` picks it). */
export function reporterFor(io: CliIO, output: 'text' | 'json'): Reporter {
  return output === 'json' ? silentReporter() : io.isTTY ? liveReporter(io) : plainReporter(io);
}

/** Lock flags and messages shared by apply, rollback, upgrade. */
export interface LockFlags {
  forceUnlock?: boolean;
}

export function addLockOptions(command: Command): Command {
  return command.option(
    '--force-unlock',
    "remove the release lock whoever holds it before starting (only when its holder is gone for good; a dead holder's lock also expires by itself within 15 s)",
  );
}

/** Lock callbacks that tell the user, on stderr, about waiting and take-overs. */
export function lockMessages(
  io: CliIO,
  release: ReleaseRef,
): {
  onLockWait: (holder: string, operation: string) => void;
  onLockTakeOver: (previous: string) => void;
} {
  return {
    onLockWait: (holder, operation) =>
      io.err(`release ${release.name} is locked by ${holder} (${operation}); waiting for it\n`),
    onLockTakeOver: (previous) =>
      io.err(`release ${release.name}: took over the expired lock of ${previous}\n`),
  };
}

/** `--force-unlock`: removes the lock and says whose it was. */
export async function maybeForceUnlock(
  io: CliIO,
  api: KubeApi,
  release: ReleaseRef,
  flags: LockFlags,
): Promise<void> {
  if (!flags.forceUnlock) return;
  const holder = await forceUnlock(api, release);
  io.err(
    holder
      ? `release ${release.name}: removed the lock held by ${holder}\n`
      : `release ${release.name}: was not locked\n`,
  );
}

/** The release flags `berth apply` adds (with `--release` and `-n` of the chart flags). */
export interface ReleaseApplyFlags extends LockFlags {
  release?: string;
  namespace?: string;
  atomic?: boolean;
  /** `--no-prune` sets false. @default true */
  prune?: boolean;
  pruneVolumes?: boolean;
  /** @default '10' */
  historyMax?: string;
}

export function addReleaseApplyOptions(command: Command): Command {
  return addLockOptions(
    command
      .option(
        '--atomic',
        'when the apply or its wait fails, roll back to the last deployed revision (implies --wait)',
      )
      .option('--no-prune', 'keep objects that left the release instead of deleting them')
      .option(
        '--prune-volumes',
        'also delete PersistentVolumeClaims and Namespaces that left the release (they hold data)',
      )
      .option('--history-max <n>', 'revisions kept in the cluster per release', '10'),
  );
}

function historyMaxFlag(text: string | undefined): number {
  if (text === undefined) return defaultHistoryMax;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--history-max ${text}: must be a whole number of at least 1`);
  return n;
}

export interface ReleaseApplied {
  result: ApplyResult;
  /** Lines to print after the apply summary. */
  text: string;
  /** The `release` section of the JSON document. */
  json: Record<string, unknown>;
  ok: boolean;
}

/**
 * Applies `input` as a release (recorded, pruned, locked; `--atomic`), or returns undefined when
 * it is not one (plain manifests without `--release`), so the caller applies it plainly.
 */
export async function applyAsRelease(
  io: CliIO,
  conn: Pick<Connection, 'api' | 'applier'>,
  input: ApplyInput,
  o: {
    flags: ReleaseApplyFlags;
    timeoutMs: number;
    wait: boolean;
    force: boolean;
    onEvent: Reporter;
  },
): Promise<ReleaseApplied | undefined> {
  const release = await releaseOfInput(input, o.flags, conn.api.defaultNamespace);
  if (!release) return undefined;
  const historyMax = historyMaxFlag(o.flags.historyMax);
  await maybeForceUnlock(io, conn.api, release, o.flags);
  const ctx: ReleaseContext = {
    api: conn.api,
    apply: conn.applier,
    release,
    by: whoAmI(),
    berthVersion: version,
  };
  const out = await applyRelease(ctx, input.objects, {
    deadline: Date.now() + o.timeoutMs,
    timeoutMs: o.timeoutMs,
    wait: o.wait || Boolean(o.flags.atomic),
    force: o.force,
    prune: o.flags.prune ?? true,
    pruneVolumes: o.flags.pruneVolumes ?? false,
    historyMax,
    atomic: Boolean(o.flags.atomic),
    onEvent: o.onEvent,
    ...lockMessages(io, release),
  });
  const s = out.shipped;
  let text = formatShipLines(s);
  text += `release ${release.name} (namespace ${release.namespace}): revision ${s.revision} ${s.status}\n`;
  if (out.restored) {
    text += formatShipLines(out.restored);
    text += `rolled back: revision ${out.restored.revision} restores revision ${out.restored.target} (${out.restored.status}); failed: ${failedObjects(s.apply)}\n`;
  } else if (out.noRestoreReason) text += `--atomic: nothing restored: ${out.noRestoreReason}\n`;
  const json: Record<string, unknown> = { ...release, ...shipJson(s) };
  if (out.restored)
    json.restored = {
      ...shipJson(out.restored),
      target: out.restored.target,
      apply: out.restored.apply,
    };
  return { result: s.apply, text, json, ok: s.status === 'deployed' };
}

/** `Deployment web/api (CrashLoopBackOff...)`: what made an apply fail. */
export function failedObjects(result: ApplyResult): string {
  const bad = result.objects.filter(
    (r) => r.status === 'Failed' || r.action === 'rejected' || r.status === 'InProgress',
  );
  if (bad.length === 0) return result.outcome;
  return bad
    .slice(0, 5)
    .map((r) => `${describeRef(r)}${r.reason || r.error ? ` (${r.reason ?? r.error})` : ''}`)
    .join('; ');
}

/** Waits until `objects` (live, just changed) are ready; the outcome and a line per problem. */
export async function waitFor(
  io: CliIO,
  api: KubeApi,
  objects: readonly KubeObject[],
  o: { deadline: number; output: 'text' | 'json' },
): Promise<{ ok: boolean; problems: string[] }> {
  const result = await waitForReadiness(
    api,
    objects.map((obj) => ({ obj })),
    {
      deadline: o.deadline,
      start: Date.now(),
      pvcConsumers: new Map(),
      onEvent: reporterFor(io, o.output),
    },
  );
  const problems = [...result.readiness.values()]
    .filter((r) => r.readiness.status !== 'Current')
    .map((r) => `${describeRef(r.ref)}: ${r.readiness.reason}`);
  if (result.serverProblem) problems.push(result.serverProblem);
  return { ok: result.outcome === 'ready', problems };
}
