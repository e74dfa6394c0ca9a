import { UsageError } from '../../errors.ts';
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import type { KubeObject } from '../../model/object.ts';
import { currentRecord, listReleases } from '../../release/adapters/components.ts';
import { keyOf, toRef } from '../../release/inventory.ts';
import {
  formatStatus,
  isStatusKind,
  isUnhealthy,
  statusRows,
  type NamespaceView,
  type StatusRow,
} from '../../release/status.ts';
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
    for (const release of releases) {
      const record = await currentRecord(conn.api, release, b);
      if (!record) continue;
      const declared = record.objects.filter(isStatusKind);
      const namespaces = [...new Set(declared.map((o) => o.metadata.namespace ?? ''))];
      const [live, views] = await Promise.all([
        Promise.all(declared.map((o) => conn.api.get(toRef(o), b))),
        Promise.all(namespaces.map((ns) => readView(conn.api, ns, declared, b))),
      ]);
      const liveByKey = new Map(declared.map((o, i) => [keyOf(toRef(o)), live[i]]));
      const viewOf = new Map(namespaces.map((ns, i) => [ns, views[i] as NamespaceView]));
      rows.push(
        ...statusRows(
          { name: release.name, revision: record.revision },
          declared,
          (o) => liveByKey.get(keyOf(toRef(o))),
          (ns) => viewOf.get(ns) ?? { pods: [], replicaSets: [] },
        ),
      );
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

/**
 * What the rows of one namespace are judged against: its pods and ReplicaSets, and only when the
 * release has objects that need them, its Jobs (CronJobs), claims (StatefulSets), autoscalers
 * (Deployments, StatefulSets; kinds the cluster does not serve are skipped) and StorageClasses.
 */
async function readView(
  api: KubeApi,
  namespace: string,
  declared: readonly KubeObject[],
  b: CallOptions,
): Promise<NamespaceView> {
  const here = declared.filter((o) => (o.metadata.namespace ?? '') === namespace);
  const has = (...kinds: string[]) => here.some((o) => kinds.includes(o.kind));
  const items = async (apiVersion: string, kind: string, when: boolean) => {
    if (!when || !(await api.resource(apiVersion, kind, b))) return [];
    return (await api.list({ apiVersion, kind, namespace }, b)).items;
  };
  const scalable = has('Deployment', 'StatefulSet');
  const [pods, replicaSets, jobs, pvcs, hpas, scaledObjects, storageClasses] = await Promise.all([
    items('v1', 'Pod', true),
    items('apps/v1', 'ReplicaSet', has('Deployment')),
    items('batch/v1', 'Job', has('CronJob')),
    items('v1', 'PersistentVolumeClaim', has('StatefulSet')),
    items('autoscaling/v2', 'HorizontalPodAutoscaler', scalable),
    items('keda.sh/v1alpha1', 'ScaledObject', scalable),
    has('PersistentVolumeClaim')
      ? api.list({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' }, b).then((l) => l.items)
      : Promise.resolve(undefined),
  ]);
  const view: NamespaceView = {
    pods,
    replicaSets,
    jobs,
    pvcs,
    autoscalers: [...hpas, ...scaledObjects],
  };
  if (storageClasses) view.storageClasses = storageClasses;
  return view;
}

export const statusCommand: CliCommand = {
  name: 'status',
  register(program, run) {
    const command = program
      .command('status [release]')
      .description(
        "Every workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) and claim of a release (or of all releases): ready/desired, nodes, the release's revision, who owns the replicas, and why it is not ready; exit 1 when anything is not ready",
      )
      .option('-o, --output <format>', 'text or json (one ReleaseStatus document)', 'text')
      .option('--timeout <duration>', 'deadline (90s, 5m)', '1m');
    addReleaseNamespace(addClusterOptions(command)).action(
      run((io, name: string | undefined, flags: StatusFlags) => runStatus(io, name, flags)),
    );
  },
};
