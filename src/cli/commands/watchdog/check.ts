/** `berth watchdog check`: one pass of every detector, findings as a table or JSON; exit 1 on ≥ warning. */
import type { Command } from 'commander';
import { UsageError } from '../../../errors.ts';
import type { KubeApi } from '../../../kube/api.ts';
import { describeRef } from '../../../model/object.ts';
import { MetricsPoller } from '../../../watchdog/adapters/metrics.ts';
import {
  notMeasured,
  readVolumeUsage,
  type VolumeUsageSource,
} from '../../../watchdog/adapters/volume-usage.ts';
import { ClusterWatcher } from '../../../watchdog/adapters/watcher.ts';
import { groupFindings } from '../../../watchdog/incidents.ts';
import type { ClusterState, Finding } from '../../../watchdog/model.ts';
import type { ActionRunner } from '../../command.ts';
import { ExitCode, type CliIO } from '../../io.ts';
import { addCluster, checkOutput, connect, loadConfig, type ClusterFlags } from './shared.ts';

interface Flags extends ClusterFlags {
  detector: string[];
  output: string;
}

export function registerCheck(parent: Command, run: ActionRunner): void {
  addCluster(parent.command('check [path]'))
    .description(
      'One pass of every detector over the cluster: findings as a table (or -o json); exit 1 if any is a warning or worse',
    )
    .option(
      '--detector <id>',
      'only this detector (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('-o, --output <format>', 'text or json', 'text')
    .action(run((io, path: string | undefined, flags: Flags) => check(io, path, flags)));
}

async function check(io: CliIO, path: string | undefined, flags: Flags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const config = await loadConfig(io, path);
  const unknown = flags.detector.filter((id) => !config.detectors.some((d) => d.id === id));
  if (unknown.length)
    throw new UsageError(
      `unknown detector ${unknown.join(', ')}; known: ${config.detectors.map((d) => d.id).join(', ')}`,
    );
  const detectors = config.detectors.filter(
    (d) => !d.always && (flags.detector.length === 0 || flags.detector.includes(d.id)),
  );
  const kube = await connect(io, flags);
  try {
    const state = await snapshotOnce(
      kube,
      detectors.flatMap((d) => d.reads),
      config.detectorOptions.sustainedMs,
      detectors.some((d) => d.id === 'pvc-pressure') ? config.prometheus : undefined,
    );
    const findings = detectors.flatMap((d) => d.detect(state.state, config.detectorOptions));
    const incidents = groupFindings(findings);
    if (output === 'json')
      io.out(
        `${JSON.stringify({ findings, incidents: incidents.map((i) => ({ fingerprint: i.fingerprint, title: i.title, severity: i.severity, findings: i.findings.length })), unavailable: state.unavailable }, null, 2)}\n`,
      );
    else io.out(table(findings, state.unavailable));
    return findings.some((f) => f.severity !== 'info') ? ExitCode.problems : ExitCode.ok;
  } finally {
    kube.close();
  }
}

export async function snapshotOnce(
  kube: KubeApi,
  reads: string[],
  windowMs: number,
  volumes?: VolumeUsageSource,
): Promise<{ state: ClusterState; unavailable: Record<string, string> }> {
  const kinds = [...new Set(reads.filter((k) => k !== 'metrics'))];
  const watcher = new ClusterWatcher(kube, kinds, { onChange: () => undefined });
  await watcher.start();
  const objects = watcher.objects();
  await watcher.stop();
  const metrics = new MetricsPoller(kube, windowMs);
  if (reads.includes('metrics')) await metrics.poll().catch(() => false);
  const state: ClusterState = {
    now: Date.now(),
    objects,
    nodeUsage: metrics.nodeUsage,
    podUsage: metrics.pods,
  };
  const unavailable = Object.fromEntries(watcher.unavailable);
  if (reads.includes('PersistentVolumeClaim') && reads.includes('metrics')) {
    if (!volumes) unavailable['PVC usage'] = notMeasured;
    else
      state.volumeUsage = await readVolumeUsage(volumes, AbortSignal.timeout(10_000)).catch(
        (error: unknown) => {
          unavailable['PVC usage'] =
            `not measured: Prometheus ${volumes.url} failed (${error instanceof Error ? error.message : String(error)})`;
          return undefined;
        },
      );
  }
  return { state, unavailable };
}

function table(findings: Finding[], unavailable: Record<string, string>): string {
  const lines: string[] = [];
  if (findings.length === 0) lines.push('no findings: all checked objects are healthy');
  else {
    const rows = findings.map((f) => [
      f.severity,
      f.detector,
      describeRef(f.object),
      f.reason,
      f.message,
    ]);
    const widths = [0, 1, 2, 3].map((i) =>
      Math.max(
        ...rows.map((r) => r[i]!.length),
        ['SEVERITY', 'DETECTOR', 'OBJECT', 'REASON'][i]!.length,
      ),
    );
    const fmt = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
    lines.push(fmt(['SEVERITY', 'DETECTOR', 'OBJECT', 'REASON', 'MESSAGE']), ...rows.map(fmt));
  }
  for (const [kind, why] of Object.entries(unavailable))
    lines.push(`not checked: ${kind} (${why})`);
  return `${lines.join('\n')}\n`;
}
