/** Deriving probes for a container from its other probes, the Service that targets it, or its ports. */
import {
  namespaceOf,
  objectsOfKind,
  selectWorkloads,
  serviceSelectorOf,
  type AuditIndex,
} from '../../engine/index-objects.ts';
import {
  isRecord,
  mainContainers,
  portsOf,
  resolvePort,
  type Container,
  type ContainerRef,
  type Probe,
  type Workload,
} from '../../engine/pods.ts';
import { isServing } from './describe.ts';

/** The port a probe for this container should use: a Service's targetPort, a port named http, or the first TCP port. */
export function probeTargetPort(
  index: AuditIndex,
  workload: Workload,
  ref: ContainerRef,
): number | string | undefined {
  const ports = portsOf(ref.container).filter(
    (p) => (p.protocol ?? 'TCP') === 'TCP' && typeof p.containerPort === 'number',
  );
  if (ports.length === 0) return undefined;
  for (const service of objectsOfKind(index, workload.namespace, 'Service')) {
    const selector = serviceSelectorOf(service);
    if (selector.matchesNothing) continue;
    if (!selectWorkloads(index, workload.namespace, selector).includes(workload)) continue;
    const servicePorts = (service.object.spec as { ports?: unknown } | undefined)?.ports;
    if (!Array.isArray(servicePorts)) continue;
    for (const sp of servicePorts) {
      if (!isRecord(sp)) continue;
      const target = sp.targetPort ?? sp.port;
      const resolved = resolvePort(ref.container, target);
      if (resolved !== undefined && ports.some((p) => p.containerPort === resolved)) {
        return typeof target === 'string' && !/^\d+$/.test(target) ? target : resolved;
      }
    }
  }
  const named = ports.find((p) => p.name === 'http');
  if (named?.name) return named.name;
  return ports[0]?.containerPort;
}

const handlerKeys = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;

/** The handler part of a probe (httpGet/tcpSocket/grpc/exec), without timings. */
export function probeHandler(probe: unknown): Record<string, unknown> | undefined {
  if (!isRecord(probe)) return undefined;
  for (const key of handlerKeys) if (isRecord(probe[key])) return { [key]: probe[key] };
  return undefined;
}

/** A handler for a new probe: reuse one of the container's other probes, else a TCP check of its port. */
export function derivedHandler(
  index: AuditIndex,
  workload: Workload,
  ref: ContainerRef,
): Record<string, unknown> | undefined {
  const c = ref.container;
  const existing =
    probeHandler(c.readinessProbe) ?? probeHandler(c.livenessProbe) ?? probeHandler(c.startupProbe);
  if (existing && !('exec' in existing)) return structuredClone(existing);
  const port = probeTargetPort(index, workload, ref);
  return port === undefined ? undefined : { tcpSocket: { port } };
}

export const probeTimings = {
  readinessProbe: { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  livenessProbe: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
  startupProbe: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
} as const;

const targetedMemo = new WeakMap<AuditIndex, Set<Workload>>();

/** The workloads some Service of the input selects (computed once per audit). */
export function targetedByService(index: AuditIndex): Set<Workload> {
  let found = targetedMemo.get(index);
  if (found) return found;
  found = new Set();
  targetedMemo.set(index, found);
  for (const b of index.buckets.values())
    for (const service of b.byKind.get('Service') ?? [])
      for (const w of selectWorkloads(index, namespaceOf(service), serviceSelectorOf(service)))
        found.add(w);
  return found;
}

/**
 * Containers that serve traffic, so probes make sense: main containers of non-Job workloads that
 * declare a port, and every main container of a workload a Service selects (a container that
 * listens without declaring its port is still sent traffic).
 */
export function servingContainers(workload: Workload, index?: AuditIndex): ContainerRef[] {
  if (!isServing(workload)) return [];
  const targeted = index !== undefined && targetedByService(index).has(workload);
  return mainContainers(workload).filter((r) => targeted || portsOf(r.container).length > 0);
}

export function probeOf(
  container: Container,
  key: 'livenessProbe' | 'readinessProbe' | 'startupProbe',
): Probe | undefined {
  const probe = container[key];
  return isRecord(probe) ? probe : undefined;
}
