/**
 * The hardened pod template every workload shares. Each default here is documented in
 * docs/render.md: non-root fixed UID/GID, seccomp RuntimeDefault, drop ALL, no privilege
 * escalation, read-only root with emptyDirs, no token unless API access, requests and limits,
 * probes from ports, graceful termination, content hashes, Prometheus annotations.
 */
import { engineArgs, engines } from '../spec/engines.ts';
import {
  effectiveImage,
  effectivePorts,
  effectiveResources,
  exposedPorts,
  findPort,
} from '../spec/resolve.ts';
import type { Port } from '../spec/schema/common.ts';
import type { Component } from '../spec/workspace.ts';
import { busyTokenVolume } from './busy.ts';
import { fileKey, filesOf, hasComponentSecret, hashInputs, secretNameOf } from './config.ts';
import {
  componentLabels,
  hashOf,
  selectorOf,
  sortedEntries,
  type RenderContext,
} from './context.ts';

type Json = Record<string, unknown>;

export function podTemplate(ctx: RenderContext, c: Component): Json {
  const ports = effectivePorts(c);
  const metrics = ports.find((p) => p.metrics);
  const hashes = hashInputs(ctx, c);
  const annotations: Record<string, string> = {
    'berth.dev/config-hash': hashOf(hashes.config),
    'berth.dev/secret-hash': hashOf(hashes.secrets),
  };
  if (metrics) {
    annotations['prometheus.io/scrape'] = 'true';
    annotations['prometheus.io/port'] = String(metrics.port);
    annotations['prometheus.io/path'] = metrics.metricsPath;
  }
  return {
    metadata: { labels: componentLabels(ctx, c), annotations },
    spec: podSpec(ctx, c, ports),
  };
}

function podSpec(ctx: RenderContext, c: Component, ports: Port[]): Json {
  const sec = securityIds(ctx, c);
  const pool = ctx.platform.nodePools.find((p) => p.name === nodePoolOf(ctx, c));
  const { mounts, volumes } = volumesOf(ctx, c);
  const main = container(ctx, c, ports, mounts);
  const spec: Json = {
    serviceAccountName: c.name,
    automountServiceAccountToken: c.spec.apiAccess !== undefined,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: sec.runAsUser,
      runAsGroup: sec.runAsGroup,
      fsGroup: sec.fsGroup,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds:
      c.spec.terminationGracePeriodSeconds ?? ctx.platform.defaults.terminationGracePeriodSeconds,
  };
  const pullSecrets = [
    ...new Set([...ctx.platform.imagePullSecrets, ...c.spec.imagePullSecrets]),
  ].sort();
  if (pullSecrets.length > 0) spec.imagePullSecrets = pullSecrets.map((name) => ({ name }));
  if (pool && Object.keys(pool.nodeSelector).length > 0)
    spec.nodeSelector = Object.fromEntries(sortedEntries(pool.nodeSelector));
  if (pool && pool.tolerations.length > 0)
    spec.tolerations = pool.tolerations.map((t) => ({
      key: t.key,
      operator: t.operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      effect: t.effect,
    }));
  if (c.kind === 'Agent') {
    // Scale-up guard (ADR 0012): a second pod of a singleton can never run on the same node,
    // and the RWO volume cannot attach elsewhere while the first pod holds it.
    spec.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: selectorOf(ctx, c) },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    };
  } else if (spreads(c)) {
    // Replicas spread over nodes and zones when the cluster allows (never blocks scheduling).
    spec.topologySpreadConstraints = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map(
      (topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selectorOf(ctx, c) },
      }),
    );
  }
  if (c.spec.init.length > 0)
    spec.initContainers = c.spec.init
      .map((i) => ({
        ...main,
        name: i.name,
        image: i.image ?? main.image,
        command: i.command,
        args: undefined,
        ports: undefined,
        startupProbe: undefined,
        livenessProbe: undefined,
        readinessProbe: undefined,
        lifecycle: undefined,
      }))
      .map(dropUndefined);
  spec.containers = [main];
  if (volumes.length > 0) spec.volumes = volumes;
  return spec;
}

function dropUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Whether the component can run more than one replica (then its pods are spread). */
function spreads(c: Component): boolean {
  switch (c.kind) {
    case 'Agent':
      return false;
    case 'AgentPool':
      return Math.max(c.spec.replicas, c.spec.maxReplicas ?? 0) > 1;
    case 'Service':
      return Math.max(c.spec.replicas, c.spec.autoscaling?.maxReplicas ?? 0) > 1;
    case 'Store':
      return c.spec.replicas > 1;
  }
}

function nodePoolOf(ctx: RenderContext, c: Component): string | undefined {
  return c.spec.nodePool ?? (c.kind === 'Agent' ? ctx.platform.agents.nodePool : undefined);
}

function securityIds(ctx: RenderContext, c: Component) {
  const s = c.spec.security;
  const p = ctx.platform.security;
  return {
    runAsUser: s.runAsUser ?? p.runAsUser,
    runAsGroup: s.runAsGroup ?? p.runAsGroup,
    fsGroup: s.fsGroup ?? p.fsGroup,
  };
}

function container(ctx: RenderContext, c: Component, ports: Port[], mounts: Json[]): Json {
  const res = effectiveResources(ctx.platform, c.spec.resources);
  const ids = securityIds(ctx, c);
  const out: Json = {
    name: c.kind === 'Store' ? c.spec.engine : c.name,
    image: effectiveImage(ctx.platform, c),
    imagePullPolicy: imagePullPolicyOf(ctx, c),
  };
  if (c.spec.command) out.command = c.spec.command;
  const args =
    c.spec.args ??
    (c.kind === 'Store'
      ? engineArgs(c.spec.engine, c.name, c.namespace, c.spec.replicas)
      : undefined);
  if (args) out.args = args;
  if (ports.length > 0)
    out.ports = ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol }));
  const env = envOf(ctx, c);
  if (env.length > 0) out.env = env;
  const envFrom = envFromOf(ctx, c);
  if (envFrom.length > 0) out.envFrom = envFrom;
  out.resources = {
    requests: {
      cpu: res.requests.cpu,
      memory: res.requests.memory,
      'ephemeral-storage': res.requests.ephemeralStorage,
    },
    limits: {
      cpu: res.limits.cpu,
      memory: res.limits.memory,
      'ephemeral-storage': res.limits.ephemeralStorage,
    },
  };
  out.securityContext = {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: c.spec.security.readOnlyRootFilesystem,
    runAsNonRoot: true,
    runAsUser: ids.runAsUser,
    runAsGroup: ids.runAsGroup,
    capabilities: c.spec.security.addNetBindService
      ? { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }
      : { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  Object.assign(out, probesOf(c, ports));
  const preStop =
    c.spec.preStopSleepSeconds ??
    (exposedPorts(c).length > 0 ? ctx.platform.defaults.preStopSleepSeconds : 0);
  if (preStop > 0) out.lifecycle = { preStop: { sleep: { seconds: preStop } } };
  if (mounts.length > 0) out.volumeMounts = mounts;
  return out;
}

function imagePullPolicyOf(ctx: RenderContext, c: Component): string {
  if (c.kind === 'Agent' && c.spec.image === undefined) return ctx.platform.agents.imagePullPolicy;
  return c.spec.imagePullPolicy;
}

function envOf(ctx: RenderContext, c: Component): Json[] {
  const env: Json[] = sortedEntries(c.spec.env).map(([name, value]) => ({ name, value }));
  if (c.kind === 'AgentPool') {
    env.push(
      { name: 'AGENT_ROLE', value: c.spec.role ?? c.name },
      { name: 'MAX_CONCURRENT', value: String(c.spec.maxConcurrent) },
    );
  }
  if (c.kind === 'Agent' && c.spec.llm) {
    const llm = c.spec.llm;
    env.push({ name: llm.baseUrlEnv, value: llm.baseUrl });
    if (llm.model !== undefined) env.push({ name: llm.modelEnv, value: llm.model });
    if (llm.apiKey)
      env.push({
        name: llm.apiKeyEnv,
        valueFrom: {
          secretKeyRef: { name: secretNameOf(ctx, llm.apiKey.secret), key: llm.apiKey.key },
        },
      });
  }
  if (c.kind === 'Store' && c.spec.engine === 'nats')
    env.push({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  for (const [name, ref] of sortedEntries(c.spec.secretEnv))
    env.push({
      name,
      valueFrom: { secretKeyRef: { name: secretNameOf(ctx, ref.secret), key: ref.key } },
    });
  return env;
}

function envFromOf(ctx: RenderContext, c: Component): Json[] {
  const out: Json[] = [];
  if (Object.keys(c.spec.config).length > 0)
    out.push({ configMapRef: { name: `${c.name}-config` } });
  for (const s of [...new Set(c.spec.envFrom)].sort())
    out.push({ secretRef: { name: secretNameOf(ctx, s) } });
  if (hasComponentSecret(ctx, c)) out.push({ secretRef: { name: `${c.name}-env` } });
  return out;
}

interface Timing {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** How a probe checks the container: the action's field name and its body. */
interface Action {
  kind: 'exec' | 'httpGet' | 'tcpSocket';
  body: Json;
}

/** A probe: its action, then its timing (built field by field: object spread is slow here). */
function probe(action: Action, t: Timing): Json {
  const out: Json = {};
  out[action.kind] = action.body;
  out.initialDelaySeconds = t.initialDelaySeconds;
  out.periodSeconds = t.periodSeconds;
  out.timeoutSeconds = t.timeoutSeconds;
  out.failureThreshold = t.failureThreshold;
  out.successThreshold = 1;
  return out;
}

function probesOf(c: Component, ports: Port[]): Json {
  const p = c.spec.probes;
  if (!p.enabled) return {};
  const engine = c.kind === 'Store' ? engines[c.spec.engine] : undefined;
  const engineHealth = engine && 'healthPath' in engine ? engine : undefined;
  if (p.command) {
    const exec: Action = { kind: 'exec', body: { command: p.command } };
    return {
      startupProbe: probe(exec, p.startup),
      livenessProbe: probe(exec, p.liveness),
      readinessProbe: probe(exec, p.readiness),
    };
  }
  const portRef = p.port ?? engineHealth?.healthPort ?? ports[0]?.name;
  if (portRef === undefined) return {};
  const port = findPort(ports, portRef);
  const name = port?.name ?? portRef;
  const path = p.path ?? engineHealth?.healthPath;
  const tcp: Action = { kind: 'tcpSocket', body: { port: name } };
  const ready: Action =
    path !== undefined ? { kind: 'httpGet', body: { path, port: name, scheme: 'HTTP' } } : tcp;
  return {
    startupProbe: probe(ready, p.startup),
    livenessProbe: probe(tcp, p.liveness),
    readinessProbe: probe(ready, p.readiness),
  };
}

function volumeName(prefix: string, path: string): string {
  const slug = path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${prefix}-${slug}`.slice(0, 63).replace(/-+$/, '');
}

function volumesOf(ctx: RenderContext, c: Component): { mounts: Json[]; volumes: Json[] } {
  const mounts: Json[] = [];
  const volumes: Json[] = [];
  if (c.kind === 'Agent') {
    mounts.push({
      name: 'data',
      mountPath: c.spec.storage.mountPath ?? ctx.platform.agents.mountPath,
    });
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: `${c.name}-data` } });
  }
  if (c.kind === 'Store') mounts.push({ name: 'data', mountPath: engines[c.spec.engine].dataPath });
  if (c.spec.tmp) {
    mounts.push({ name: 'tmp', mountPath: '/tmp' });
    volumes.push({ name: 'tmp', emptyDir: { sizeLimit: ctx.platform.defaults.tmpSizeLimit } });
  }
  for (const w of c.spec.writablePaths) {
    const name = volumeName('rw', w.path);
    mounts.push({ name, mountPath: w.path });
    volumes.push({
      name,
      emptyDir:
        w.medium === 'Memory'
          ? { medium: 'Memory', sizeLimit: w.sizeLimit }
          : { sizeLimit: w.sizeLimit },
    });
  }
  const files = sortedEntries(filesOf(ctx, c));
  if (files.length > 0) {
    for (const [path] of files)
      mounts.push({ name: 'files', mountPath: path, subPath: fileKey(path), readOnly: true });
    volumes.push({ name: 'files', configMap: { name: `${c.name}-files`, defaultMode: 0o444 } });
  }
  const busy = busyTokenVolume(c);
  if (busy) {
    mounts.push(busy.mount);
    volumes.push(busy.volume);
  }
  return { mounts, volumes };
}
