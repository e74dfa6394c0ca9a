/**
 * From Watchdog documents to the watchdog's settings, pure: validation with file:line diagnostics
 * (the spec's schema), then durations to milliseconds and detector ids checked against the
 * registry. No document: every detector, notify-only.
 */
import type { Diagnostic } from '../errors.ts';
import { parseDuration } from '../model/duration.ts';
import type { Infer } from '../spec/schema/dsl.ts';
import { watchdogSpec } from '../spec/schema/watchdog.ts';
import { Reporter, validateField } from '../spec/validate/structural.ts';
import type { YamlStream } from '../yaml/stream.ts';
import { detectors as allDetectors } from './detectors/index.ts';
import { defaultDetectorOptions, type Detector, type DetectorOptions } from './model.ts';
import { notifyOnlyPolicy, type Policy } from './policy/types.ts';
import { defaultTrackerOptions, type TrackerOptions } from './tracker.ts';

export type WatchdogSpec = Infer<typeof watchdogSpec>;

export interface WatchdogConfig {
  name: string;
  policy: Policy;
  detectors: readonly Detector[];
  schedules: Record<string, string>;
  detectorOptions: DetectorOptions;
  trackerOptions: TrackerOptions;
  metricsIntervalMs: number;
  ledgerNamespace: string;
  notify: WatchdogSpec['notify'];
  /** Where PVC and node disk usage come from; absent: not measured. */
  prometheus?: { url: string; nodeFilesystem: boolean };
}

export const defaultConfig: WatchdogConfig = {
  name: 'default',
  policy: notifyOnlyPolicy,
  detectors: allDetectors,
  schedules: {},
  detectorOptions: defaultDetectorOptions,
  trackerOptions: defaultTrackerOptions,
  metricsIntervalMs: 60_000,
  ledgerNamespace: 'berth-system',
  notify: [],
};

/** Finds and validates the Watchdog document among parsed streams (other kinds are ignored). */
export function readWatchdogConfig(streams: readonly YamlStream[]): {
  config?: WatchdogConfig;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = streams.flatMap((s) => s.diagnostics);
  const found = streams
    .flatMap((s) => s.documents)
    .filter((d) => (d.value as { kind?: unknown } | null)?.kind === 'Watchdog');
  if (found.length === 0)
    return diagnostics.length ? { diagnostics } : { config: defaultConfig, diagnostics };
  const doc = found[0]!;
  const r = new Reporter(doc);
  for (const extra of found.slice(1))
    new Reporter(extra).report(
      ['kind'],
      'only one Watchdog document is allowed',
      `the first is in ${doc.file}`,
    );
  const value = doc.value as {
    apiVersion?: unknown;
    metadata?: { name?: unknown };
    spec?: unknown;
  };
  if (value.apiVersion !== 'berth.dev/v1alpha1')
    r.report(['apiVersion'], 'apiVersion must be berth.dev/v1alpha1');
  const spec = validateField(watchdogSpec, value.spec ?? {}, ['spec'], r) as
    WatchdogSpec | undefined;
  if (spec) checkIds(spec, r);
  diagnostics.push(...r.diagnostics);
  diagnostics.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
  if (!spec || diagnostics.length > 0) return { diagnostics };
  const name = typeof value.metadata?.name === 'string' ? value.metadata.name : 'watchdog';
  return { config: configFromSpec(name, spec), diagnostics };
}

function checkIds(spec: WatchdogSpec, r: Reporter): void {
  const ids = new Set(allDetectors.map((d) => d.id));
  const hint = `known detectors: ${[...ids].join(', ')}`;
  spec.detectors.forEach((d, i) => {
    if (!ids.has(d.id))
      r.report(['spec', 'detectors', i, 'id'], `unknown detector "${d.id}"`, hint);
  });
  spec.actions.forEach((a, i) =>
    a.detectors.forEach((id, j) => {
      if (!ids.has(id))
        r.report(['spec', 'actions', i, 'detectors', j], `unknown detector "${id}"`, hint);
    }),
  );
}

const ms = (text: string): number => parseDuration(text) ?? 0;

export function configFromSpec(name: string, spec: WatchdogSpec): WatchdogConfig {
  const disabled = new Set(spec.detectors.filter((d) => !d.enabled).map((d) => d.id));
  const schedules: Record<string, string> = {};
  for (const d of spec.detectors) if (d.schedule) schedules[d.id] = d.schedule;
  const policy: Policy = {
    dryRun: spec.dryRun,
    include: spec.namespaces.include,
    exclude: spec.namespaces.exclude,
    actions: spec.actions.map((a) => {
      const out: Policy['actions'][number] = {
        action: a.action,
        detectors: a.detectors,
        transientOnly: a.transientOnly,
      };
      if (a.minReplicas !== undefined) out.minReplicas = a.minReplicas;
      if (a.maxReplicas !== undefined) out.maxReplicas = a.maxReplicas;
      return out;
    }),
    perWorkloadPerHour: spec.budgets.perWorkloadPerHour,
    perClusterPerHour: spec.budgets.perClusterPerHour,
    cooldownMs: ms(spec.cooldown),
    breakerFailures: spec.circuitBreaker.failures,
    breakerResetMs: ms(spec.circuitBreaker.reset),
    verifyTimeoutMs: ms(spec.verifyTimeout),
  };
  return {
    name,
    policy,
    detectors: allDetectors.filter((d) => !disabled.has(d.id)),
    schedules,
    detectorOptions: defaultDetectorOptions,
    trackerOptions: { renotifyMs: ms(spec.renotifyAfter), resolveAfterMs: ms(spec.resolveAfter) },
    metricsIntervalMs: ms(spec.metricsInterval),
    ledgerNamespace: spec.ledgerNamespace,
    notify: spec.notify,
    ...(spec.metrics.prometheus ? { prometheus: spec.metrics.prometheus } : {}),
  };
}
