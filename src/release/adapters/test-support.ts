// Test support for the release adapters: a MemoryKube, an applier over it that applies in
// dependency order (as deploy's applyObjects does), and small object builders.
import type { ApplyResult } from '../../deploy/events.ts';
import { planApply, planLedApply } from '../../deploy/plan/index.ts';
import { MemoryKube } from '../../kube/memory/index.ts';
import type { KubeObject } from '../../model/object.ts';
import { refOf } from '../../model/object.ts';
import type { Applier, ReleaseContext } from './ship.ts';

/**
 * Applies in plan order (led, when asked: ADR 0151), logging `Kind/name` into `order`; objects
 * whose name is in `failing` make the outcome `failed`.
 */
export function memoryApplier(
  api: MemoryKube,
  failing: Set<string> = new Set(),
  order: string[] = [],
): Applier {
  return async (objects, o) => {
    let failed = false;
    const plan = o.leads ? planLedApply(objects, o.leads) : planApply(objects);
    for (const obj of plan.phases.flatMap((p) => p.objects)) {
      await api.apply(obj, { fieldManager: 'berth', force: true });
      order.push(`${obj.kind}/${obj.metadata.name}`);
      if (failing.has(obj.metadata.name)) failed = true;
    }
    return {
      apiVersion: 'berth.dev/v1alpha1',
      kind: 'ApplyResult',
      outcome: failed ? 'failed' : 'applied',
      cluster: { context: 'memory', server: api.server },
      dryRun: false,
      waited: false,
      elapsedMs: 0,
      objects: objects.map((o) => ({ ...refOf(o), phase: 'workloads', action: 'applied' })),
      warnings: [],
      summary: {
        total: objects.length,
        applied: objects.length,
        rejected: 0,
        skipped: 0,
        current: 0,
        inProgress: 0,
        failed: failed ? 1 : 0,
      },
    } satisfies ApplyResult;
  };
}

export function memoryContext(
  failing?: Set<string>,
): ReleaseContext & { api: MemoryKube; order: string[] } {
  const api = new MemoryKube();
  const order: string[] = [];
  return {
    api,
    order,
    apply: memoryApplier(api, failing, order),
    release: { name: 'demo', namespace: 'demo' },
    by: 'tester@host',
    berthVersion: '0.1.0',
  };
}

export const ns = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

export function deployment(name: string, image: string, namespace = 'demo'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { 'berth.dev/component': name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
    },
  };
}

export function service(name: string, namespace = 'demo'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ port: 80 }] },
  };
}

export function pvc(name: string, namespace = 'demo'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
}
