/**
 * The tasks' release port over src/release (applyRelease, rollbackRelease, history in the
 * cluster) and the KubeApi port (/scale, image and restart patches, readiness polling with the
 * deploy readiness engine). Components are the workspace's; each is rendered with src/render.
 */
import type { KubeApi } from '../../kube/api.ts';
import { assessReadiness } from '../../deploy/readiness/index.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { ApplySetLabel } from '../../release/applyset.ts';
import { listRevisions } from '../../release/adapters/history-store.ts';
import { releaseSetId } from '../../release/adapters/members.ts';
import { applyRelease, rollbackRelease } from '../../release/adapters/operations.ts';
import type { Applier, ReleaseContext } from '../../release/adapters/ship.ts';
import { RevisionStatus } from '../../release/revision.ts';
import type { Clock } from '../clock.ts';
import type { Readiness, ReleasePort, ReleaseRefParams, WorkloadRef } from '../tasks/ports.ts';

export interface ReleaseAdapterOptions {
  api: KubeApi;
  apply: Applier;
  /** The platform name (default release prefix; component name of the shared objects). */
  platform: string;
  /** The platform namespace (default release namespace). */
  namespace: string;
  /** Every rendered object of the workspace. */
  objects: readonly KubeObject[];
  /** Objects of manifest files named by apply steps (paths relative to the workspace). */
  loadManifests: (paths: readonly string[]) => Promise<KubeObject[]>;
  by: string;
  berthVersion: string;
  clock: Clock;
  /** Readiness polling period (ms). @default 1000 */
  pollMs?: number;
}

const MANAGER = 'berth';
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

function componentOf(obj: KubeObject, platform: string): string {
  return obj.metadata.labels?.['berth.dev/component'] ?? platform;
}

function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace !== undefined) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function releasePort(o: ReleaseAdapterOptions): ReleasePort {
  const ctx = (ref: ReleaseRefParams): ReleaseContext => ({
    api: o.api,
    apply: o.apply,
    release: { name: ref.release, namespace: ref.namespace },
    by: o.by,
    berthVersion: o.berthVersion,
    now: () => o.clock.now(),
  });
  const objectsOf = (components: readonly string[]): KubeObject[] => {
    const known = new Set(o.objects.map((x) => componentOf(x, o.platform)));
    const missing = components.filter((c) => !known.has(c));
    if (missing.length > 0)
      throw new Error(
        `unknown component${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the shared objects are "${o.platform}")`,
      );
    if (components.length === 0) return [...o.objects];
    return o.objects.filter((x) => components.includes(componentOf(x, o.platform)));
  };
  const workload = (ref: WorkloadRef): ObjectRef => {
    const w = objectsOf([ref.component]).find((x) => WORKLOADS.has(x.kind) && x.kind !== 'Job');
    if (!w) throw new Error(`component ${ref.component} has no Deployment or StatefulSet`);
    const r = refOf(w);
    if (ref.namespace !== undefined) r.namespace = ref.namespace;
    return r;
  };
  const bounds = (timeoutMs = 30_000, signal?: AbortSignal) => ({
    deadline: o.clock.now() + timeoutMs,
    ...(signal ? { signal } : {}),
  });

  const health = async (
    refs: readonly ObjectRef[],
    timeoutMs: number,
    signal: AbortSignal,
    onProgress?: (m: string) => void,
  ): Promise<Readiness> => {
    const deadline = o.clock.now() + timeoutMs;
    for (;;) {
      const reasons = await notReady(o.api, refs, bounds(30_000, signal));
      if (reasons.length === 0) return { ready: true, reasons: [] };
      const fatal = reasons.filter((r) => r.failed);
      if (fatal.length > 0) return { ready: false, reasons: fatal.map((r) => r.text) };
      if (o.clock.now() >= deadline || signal.aborted)
        return { ready: false, reasons: reasons.map((r) => r.text) };
      onProgress?.(reasons[0]?.text ?? '');
      await o.clock.sleep(o.pollMs ?? 1000, signal);
    }
  };

  return {
    defaultRelease: (step) => ({
      release: `${o.platform}-${step}`.slice(0, 53).replace(/-+$/, ''),
      namespace: o.namespace,
    }),
    async currentRevision(ref) {
      const history = await listRevisions(
        o.api,
        { name: ref.release, namespace: ref.namespace },
        bounds(),
      );
      return history.at(-1)?.revision;
    },
    async lastGoodRevision(ref) {
      const history = await listRevisions(
        o.api,
        { name: ref.release, namespace: ref.namespace },
        bounds(),
      );
      const good: string[] = [RevisionStatus.deployed, RevisionStatus.superseded];
      return history.filter((r) => good.includes(r.status)).at(-1)?.revision;
    },
    async apply(req) {
      const objects = [
        ...(req.components.length > 0 ? objectsOf(req.components) : []),
        ...(await o.loadManifests(req.manifests)),
        ...inlineObjects(req.objects),
      ];
      const out = await applyRelease(ctx(req), objects, {
        deadline: o.clock.now() + req.timeoutMs,
        timeoutMs: req.timeoutMs,
        wait: req.wait,
        prune: true,
        description: 'apply (workflow)',
      });
      const s = out.shipped;
      const reasons = s.apply.objects
        .filter((x) => x.status !== undefined && x.status !== 'Current')
        .map((x) => `${x.kind} ${x.namespace ?? ''}/${x.name}: ${x.reason ?? x.error ?? x.status}`);
      if (s.apply.outcome === 'rejected')
        reasons.push(
          ...s.apply.objects.filter((x) => x.error).map((x) => `${x.kind} ${x.name}: ${x.error}`),
        );
      return {
        ready: s.status === RevisionStatus.deployed,
        reasons,
        revision: s.revision,
        objects: objects.length,
      };
    },
    async rollback(req) {
      if (req.revision === 0) {
        const out = await applyRelease(ctx(req), [], {
          deadline: o.clock.now() + req.timeoutMs,
          timeoutMs: req.timeoutMs,
          wait: false,
          prune: true,
          description: 'remove (workflow rollback)',
        });
        return { ready: true, reasons: [], revision: out.shipped.revision };
      }
      const r = await rollbackRelease(ctx(req), {
        deadline: o.clock.now() + req.timeoutMs,
        timeoutMs: req.timeoutMs,
        wait: req.wait,
        toRevision: req.revision,
      });
      return { ready: r.status === RevisionStatus.deployed, reasons: [], revision: r.revision };
    },
    async replicas(ref) {
      return (await o.api.getScale(workload(ref), bounds())).replicas;
    },
    async scale(req) {
      await o.api.patchScale(workload(req), req.replicas, {
        ...bounds(30_000, req.signal),
        fieldManager: MANAGER,
      });
    },
    async images(ref) {
      const live = await o.api.get(workload(ref), bounds());
      const containers = podSpec(live)?.containers ?? [];
      return Object.fromEntries(containers.map((c) => [c.name, c.image]));
    },
    async upgrade(req) {
      const ref = workload(req);
      const containers = Object.entries(req.images).map(([name, image]) => ({ name, image }));
      await o.api.patch(
        ref,
        { spec: { template: { spec: { containers } } } },
        {
          ...bounds(30_000, req.signal),
          type: 'strategic',
          fieldManager: MANAGER,
        },
      );
      return req.wait
        ? health([ref], req.timeoutMs, req.signal, req.onProgress)
        : { ready: true, reasons: [] };
    },
    async restart(req) {
      const ref = workload(req);
      const at = new Date(o.clock.now()).toISOString();
      const patch = {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } },
        },
      };
      await o.api.patch(ref, patch, {
        ...bounds(30_000, req.signal),
        type: 'merge',
        fieldManager: MANAGER,
      });
      return req.wait
        ? health([ref], req.timeoutMs, req.signal, req.onProgress)
        : { ready: true, reasons: [] };
    },
    async health(req) {
      const refs = req.release
        ? await releaseRefs(o.api, req.release, bounds())
        : objectsOf(req.components)
            .filter((x) => WORKLOADS.has(x.kind))
            .map(refOf);
      return health(refs, req.timeoutMs, req.signal, req.onProgress);
    },
  };
}

function podSpec(
  obj: KubeObject | undefined,
): { containers?: { name: string; image: string }[] } | undefined {
  const spec = obj?.spec as
    { template?: { spec?: { containers?: { name: string; image: string }[] } } } | undefined;
  return spec?.template?.spec;
}

async function releaseRefs(
  api: KubeApi,
  ref: ReleaseRefParams,
  b: { deadline: number },
): Promise<ObjectRef[]> {
  const out: ObjectRef[] = [];
  const id = releaseSetId({ name: ref.release, namespace: ref.namespace });
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    const { items } = await api.list(
      { apiVersion: 'apps/v1', kind, namespace: ref.namespace },
      { ...b, labelSelector: `${ApplySetLabel.partOf}=${id}` },
    );
    out.push(...items.map(refOf));
  }
  return out;
}

/** The objects not ready yet, each with the readiness engine's reason. */
async function notReady(
  api: KubeApi,
  refs: readonly ObjectRef[],
  b: { deadline: number; signal?: AbortSignal },
): Promise<{ text: string; failed: boolean }[]> {
  const namespaces = [...new Set(refs.map((r) => r.namespace).filter((n): n is string => !!n))];
  const pods = new Map<string, KubeObject[]>();
  const replicaSets = new Map<string, KubeObject[]>();
  for (const ns of namespaces) {
    pods.set(ns, (await api.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns }, b)).items);
    replicaSets.set(
      ns,
      (await api.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns }, b)).items,
    );
  }
  const out: { text: string; failed: boolean }[] = [];
  for (const ref of refs) {
    const live = await api.get(ref, b);
    const name = `${ref.kind} ${ref.namespace ?? ''}/${ref.name}`;
    if (!live) {
      out.push({ text: `${name}: not found`, failed: false });
      continue;
    }
    const r = assessReadiness(live, {
      pods: pods.get(ref.namespace ?? '') ?? [],
      replicaSets: replicaSets.get(ref.namespace ?? '') ?? [],
    });
    if (r.status !== 'Current')
      out.push({ text: `${name}: ${r.reason}`, failed: r.status === 'Failed' });
  }
  return out;
}

function inlineObjects(values: readonly unknown[]): KubeObject[] {
  return values.map((v, i) => {
    const o = v as Partial<KubeObject> | null;
    if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !o.metadata?.name)
      throw new Error(`objects[${i}] is not a Kubernetes object (apiVersion, kind, metadata.name)`);
    return o as KubeObject;
  });
}
