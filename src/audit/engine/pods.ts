/**
 * Finding the pod inside any workload kind, and typed views of the pod fields checks read.
 * Objects come from users' YAML, so every accessor tolerates wrong shapes.
 */
import { podTemplatePathOf } from '../../model/pod-template.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import type { LocatedObject } from './types.ts';

export type Json = Record<string, unknown>;

export interface Probe extends Json {
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string };
  tcpSocket?: { port?: number | string; host?: string };
  grpc?: { port?: number };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface SecurityContext extends Json {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string; localhostProfile?: string };
  appArmorProfile?: { type?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: { name: string; value?: string }[];
}

export interface ContainerPort extends Json {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  protocol?: string;
}

export interface Container extends Json {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  ports?: ContainerPort[];
  env?: { name?: string; value?: string; valueFrom?: Json }[];
  envFrom?: Json[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: Json; postStart?: Json };
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean }[];
  command?: string[];
  args?: string[];
}

export interface Volume extends Json {
  name?: string;
  emptyDir?: { medium?: string; sizeLimit?: string | number } | null;
  hostPath?: Json;
}

export interface PodSpec extends Json {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  securityContext?: SecurityContext;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  os?: { name?: string };
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
}

export const ContainerKind = {
  init: 'initContainers',
  main: 'containers',
  ephemeral: 'ephemeralContainers',
} as const;
export type ContainerKind = (typeof ContainerKind)[keyof typeof ContainerKind];

export interface ContainerRef {
  container: Container;
  kind: ContainerKind;
  name: string;
  /** Path from the object's root to this container. */
  path: PathSegment[];
}

/** A pod as found in a workload (a Pod itself, or the template of a controller). */
export interface Workload {
  target: LocatedObject;
  namespace: string;
  spec: PodSpec;
  specPath: PathSegment[];
  /** The pod template's metadata (a Pod's own metadata for a Pod). */
  meta: { labels: Record<string, string>; annotations: Record<string, string> };
  metaPath: PathSegment[];
  /** Init, main and ephemeral containers, in the pod-security-admission visiting order. */
  containers: ContainerRef[];
  /** `spec.replicas` for controllers that have it (default 1); undefined for Pods, Jobs, DaemonSets. */
  replicas?: number;
}

const scalable = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function get(value: unknown, path: readonly PathSegment[]): unknown {
  let node = value;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment] as unknown;
    else if (isRecord(node)) node = node[String(segment)];
    else return undefined;
  }
  return node;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[k] = String(v);
  }
  return out;
}

/** The workload view of an object, or undefined for kinds that run no pods. */
export function workloadOf(target: LocatedObject, namespace: string): Workload | undefined {
  const templatePath = podTemplatePathOf(target.object);
  if (!templatePath) return undefined;
  const template = get(target.object, templatePath);
  const metaPath = [...templatePath, 'metadata'];
  const specPath = [...templatePath, 'spec'];
  const spec = get(target.object, specPath);
  if (!isRecord(template) || !isRecord(spec)) return undefined;
  const meta = get(target.object, metaPath);
  const workload: Workload = {
    target,
    namespace,
    spec: spec,
    specPath,
    meta: {
      labels: stringMap(get(meta, ['labels'])),
      annotations: stringMap(get(meta, ['annotations'])),
    },
    metaPath,
    containers: [],
  };
  for (const kind of [ContainerKind.init, ContainerKind.main, ContainerKind.ephemeral]) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((container: unknown, index) => {
      if (!isRecord(container)) return;
      const name = typeof container.name === 'string' ? container.name : `#${index}`;
      workload.containers.push({
        container: container,
        kind,
        name,
        path: [...specPath, kind, index],
      });
    });
  }
  if (scalable.has(target.object.kind)) {
    const replicas = get(target.object, ['spec', 'replicas']);
    workload.replicas = typeof replicas === 'number' ? replicas : 1;
  }
  return workload;
}

/**
 * The two container views most checks ask for, computed once per workload (a dozen checks ask
 * for them on every workload: one array each, not one per check).
 */
const running = new WeakMap<Workload, readonly ContainerRef[]>();
const main = new WeakMap<Workload, readonly ContainerRef[]>();

/** Main and init containers (the ones that run in every pod), without ephemeral ones. */
export function runningContainers(workload: Workload): readonly ContainerRef[] {
  let list = running.get(workload);
  if (!list) {
    list = workload.containers.filter((c) => c.kind !== ContainerKind.ephemeral);
    running.set(workload, list);
  }
  return list;
}

export function mainContainers(workload: Workload): readonly ContainerRef[] {
  let list = main.get(workload);
  if (!list) {
    list = workload.containers.filter((c) => c.kind === ContainerKind.main);
    main.set(workload, list);
  }
  return list;
}

/** The declared container ports of a container, as numbers. */
export function portsOf(container: Container): ContainerPort[] {
  return Array.isArray(container.ports) ? container.ports.filter(isRecord) : [];
}

/** Resolves a probe/Service port (number or name) against a container's declared ports. */
export function resolvePort(container: Container, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  if (typeof port !== 'string') return undefined;
  return portsOf(container).find((p) => p.name === port)?.containerPort;
}

/** Effective value of a security-context field: the container's, else the pod's. */
export function effective<K extends keyof SecurityContext>(
  workload: Workload,
  ref: ContainerRef,
  key: K,
): SecurityContext[K] | undefined {
  const own = isRecord(ref.container.securityContext)
    ? ref.container.securityContext[key]
    : undefined;
  if (own !== undefined && own !== null) return own;
  const pod = isRecord(workload.spec.securityContext)
    ? workload.spec.securityContext[key]
    : undefined;
  return pod ?? undefined;
}

export function containerSecurity(ref: ContainerRef): SecurityContext {
  return isRecord(ref.container.securityContext) ? ref.container.securityContext : {};
}

export function podSecurity(workload: Workload): SecurityContext {
  return isRecord(workload.spec.securityContext) ? workload.spec.securityContext : {};
}

export function volumesOf(workload: Workload): Volume[] {
  return Array.isArray(workload.spec.volumes) ? workload.spec.volumes.filter(isRecord) : [];
}

export function mountsOf(container: Container): { name?: string; mountPath?: string }[] {
  return Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isRecord) : [];
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
