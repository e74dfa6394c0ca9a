import { UsageError } from '../../errors.ts';
import type { KubeObject } from '../../model/object.ts';
import { workloadsOf, componentsOf } from '../../release/components.ts';
import { currentRecord, listReleases } from '../../release/adapters/components.ts';
import { toRef } from '../../release/inventory.ts';
import { formatStatus, isUnhealthy, statusRow, type StatusRow } from '../../release/status.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { addReleaseNamespace, connect, type ConnectFlags } from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface StatusFlags extends ConnectFlags {
  namespace?: string;
  output: string;
  timeout: string;
}

async function runStatus(
  io: CliIO,
  name: string | undefined,
  flags: StatusFlags,
): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const b = { deadline: Date.now() + parseDurationFlag(flags.timeout) };
  const conn = await connect(io, flags);
  try {
    const releases = (await listReleases(conn.api, b, name)).filter(
      (r) => !flags.namespace || r.namespace === flags.namespace,
    );
    if (releases.length === 0)
      throw new UsageError(
        name ? `no release named ${name} on this cluster` : 'no berth release on this cluster',
      );
    const rows: StatusRow[] = [];
    const byNamespace = new Map<string, { pods: KubeObject[]; replicaSets: KubeObject[] }>();
    const contextOf = async (ns: string) => {
      let ctx = byNamespace.get(ns);
      if (!ctx) {
        const [pods, replicaSets] = await Promise.all([
          conn.api.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns }, b),
          conn.api.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns }, b),
        ]);
        ctx = { pods: pods.items, replicaSets: replicaSets.items };
        byNamespace.set(ns, ctx);
      }
      return ctx;
    };
    for (const release of releases) {
      const record = await currentRecord(conn.api, release, b);
      if (!record) continue;
      for (const component of componentsOf(record.objects))
        for (const w of workloadsOf(record.objects, component)) {
          const live = await conn.api.get(toRef(w), b);
          const ctx = await contextOf(w.metadata.namespace ?? '');
          rows.push(statusRow({ name: release.name, revision: record.revision }, w, live, ctx));
        }
    }
    if (output === 'json')
      io.out(
        `${JSON.stringify({ apiVersion: 'berth.dev/v1alpha1', kind: 'ReleaseStatus', healthy: !isUnhealthy(rows), workloads: rows }, null, 2)}\n`,
      );
    else io.out(formatStatus(rows));
    return isUnhealthy(rows) ? ExitCode.problems : ExitCode.ok;
  } finally {
    conn.close();
  }
}

export const statusCommand: CliCommand = {
  name: 'status',
  register(program, run) {
    const command = program
      .command('status [release]')
      .description(
        "Every workload of a release (or of all releases) with ready/desired, the nodes it runs on, the release's revision, and why it is not ready; exit 1 when anything is unhealthy",
      )
      .option('-o, --output <format>', 'text or json (one ReleaseStatus document)', 'text')
      .option('--timeout <duration>', 'deadline (90s, 5m)', '1m');
    addReleaseNamespace(addClusterOptions(command)).action(
      run((io, name: string | undefined, flags: StatusFlags) => runStatus(io, name, flags)),
    );
  },
};
