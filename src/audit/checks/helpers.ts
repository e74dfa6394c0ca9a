/**
 * Shared pieces of the checks: iterating workloads and containers, building fix ops, the
 * writable paths berth knows per image, and deriving probes from declared ports.
 */
import { describeRef, refOf } from '../../model/object.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import {
  finalImageInstructions,
  imageRepository,
  type DockerfileModel,
} from '../engine/dockerfile-model.ts';
import {
  mapSelector,
  objectsOfKind,
  selectWorkloads,
  type AuditIndex,
} from '../engine/index-objects.ts';
import {
  isRecord,
  mainContainers,
  mountsOf,
  portsOf,
  resolvePort,
  volumesOf,
  type Container,
  type ContainerRef,
  type Probe,
  type Workload,
} from '../engine/pods.ts';
import type { FixOp, LocatedObject } from '../engine/types.ts';

export function nameOf(target: LocatedObject): string {
  return describeRef(refOf(target.object));
}

export function containerLabel(workload: Workload, ref: ContainerRef): string {
  const kind =
    ref.kind === 'containers'
      ? 'container'
      : ref.kind === 'initContainers'
        ? 'init container'
        : 'ephemeral container';
  return `${nameOf(workload.target)} ${kind} "${ref.name}"`;
}

export function securityPath(ref: ContainerRef, ...rest: PathSegment[]): PathSegment[] {
  return [...ref.path, 'securityContext', ...rest];
}

export function podSecurityPath(workload: Workload, ...rest: PathSegment[]): PathSegment[] {
  return [...workload.specPath, 'securityContext', ...rest];
}

export function set(path: PathSegment[], value: unknown): FixOp {
  return { op: 'set', path, value };
}

/** Pods that serve (probes make sense): not Jobs or CronJobs. */
export function isServing(workload: Workload): boolean {
  return workload.target.object.kind !== 'Job' && workload.target.object.kind !== 'CronJob';
}

/** Known writable paths of well-known images; `/tmp` is added for every container by fixes. */
export function knownWritablePaths(image: string): string[] {
  const repo = imageRepository(image).toLowerCase();
  const last = repo.split('/').pop() ?? repo;
  if (last.includes('nginx') || repo.includes('/nginx')) {
    return ['/var/cache/nginx', '/var/run', '/var/log/nginx', '/tmp'];
  }
  if (last.includes('playwright')) return ['/tmp'];
  return [];
}

/** The base image the final stage of a Dockerfile starts from (following stage references). */
function baseImageOf(d: DockerfileModel): string | undefined {
  let stage = d.stages[d.stages.length - 1];
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    const from = stage.from.toLowerCase();
    const parent = d.stages.find((s) => s.name === from && s.index < (stage?.index ?? 0));
    if (!parent) return stage.from;
    stage = parent;
  }
  return undefined;
}

/** The paths a Dockerfile's final image declares with VOLUME (JSON or plain form). */
function volumePaths(d: DockerfileModel): string[] {
  const out: string[] = [];
  for (const i of finalImageInstructions(d)) {
    if (i.keyword !== 'VOLUME') continue;
    const text = i.text.trim();
    let parsed: unknown;
    if (text.startsWith('[')) {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        void error; // not JSON: Docker reads it as a plain list
      }
    }
    const list = Array.isArray(parsed) ? parsed.map(String) : text.split(/\s+/);
    out.push(...list.filter((p) => p.startsWith('/')));
  }
  return out;
}

/** Known writable paths of a container's image: by its name, or by the base image of its linked Dockerfile. */
export function writablePathsFor(index: AuditIndex, image: string): string[] {
  const paths = new Set(knownWritablePaths(image));
  for (const d of index.dockerfilesByRepository.get(imageRepository(image)) ?? []) {
    const base = baseImageOf(d);
    if (base !== undefined) for (const p of knownWritablePaths(base)) paths.add(p);
    for (const p of volumePaths(d)) paths.add(p);
  }
  return [...paths];
}

export function volumeNameFor(path: string): string {
  const name = path
    .replace(/^\/+/, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  return name === '' ? 'root' : name;
}

export function isMounted(container: Container, path: string): boolean {
  return mountsOf(container).some(
    (m) =>
      m.mountPath === path || (m.mountPath !== undefined && path.startsWith(`${m.mountPath}/`)),
  );
}

/** Ops that mount an emptyDir at each of `paths` not already mounted in the container. */
export function emptyDirOps(
  workload: Workload,
  ref: ContainerRef,
  paths: readonly string[],
): FixOp[] {
  const ops: FixOp[] = [];
  const existing = new Map(volumesOf(workload).map((v) => [v.name, v]));
  for (const path of paths) {
    if (isMounted(ref.container, path)) continue;
    const name = volumeNameFor(path);
    const volume = existing.get(name);
    if (volume && !isRecord(volume.emptyDir) && volume.emptyDir !== null) continue; // name taken by another type
    ops.push({
      op: 'append',
      path: [...workload.specPath, 'volumes'],
      value: { name, emptyDir: { sizeLimit: '64Mi' } },
      matchKey: 'name',
    });
    ops.push({
      op: 'append',
      path: [...ref.path, 'volumeMounts'],
      value: { name, mountPath: path },
      matchKey: 'mountPath',
    });
  }
  return ops;
}

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
    const selector = mapSelector(
      (service.object.spec as Record<string, unknown> | undefined)?.selector,
    );
    if (!selector || Object.keys(selector.matchLabels ?? {}).length === 0) continue;
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

export function servingContainers(workload: Workload): ContainerRef[] {
  return isServing(workload)
    ? mainContainers(workload).filter((r) => portsOf(r.container).length > 0)
    : [];
}

export function probeOf(
  container: Container,
  key: 'livenessProbe' | 'readinessProbe' | 'startupProbe',
): Probe | undefined {
  const probe = container[key];
  return isRecord(probe) ? probe : undefined;
}
