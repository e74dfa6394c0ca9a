/**
 * berth's own in-cluster service (ADR 0100, ADR 0115), rendered when the Watchdog document has a
 * `service` section, or the Platform `autoscaling.service` for the autoscaler alone: one identity
 * (service-rbac.ts), the spec it reads (service-spec.ts), a Deployment of `berth serve` (2
 * replicas, one leads on the Lease), a PodDisruptionBudget, its NetworkPolicy (service-network.ts),
 * the HTTP Service and the dashboard's Ingress with TLS. Secrets come from declared Secrets (ESO).
 */
import { berthPools } from '../autoscale/pools.ts';
import { AUTOSCALER_POD_LABEL } from '../autoscale/names.ts';
import type { KubeObject } from '../model/object.ts';
import { withRegistry } from '../spec/resolve.ts';
import { berthServiceOf, serviceSecretNames, type BerthServiceDecl } from '../spec/service.ts';
import { secretNameOf } from './config.ts';
import { hashOf, labelsOf, sortedEntries, type RenderContext } from './context.ts';
import { serviceNetworkPolicy } from './service-network.ts';
import { serviceRbac } from './service-rbac.ts';
import { serviceSpecFile, SPEC_DIR, SPEC_FILE } from './service-spec.ts';

type Json = Record<string, unknown>;

export { berthServiceOf };

/** UID/GID of the user berth's image runs as (the repository's Dockerfile). */
export const SERVICE_UID = 10001;

/** Every object of berth's service, or none when the workspace declares no service. */
export function serviceObjects(ctx: RenderContext): KubeObject[] {
  const decl = berthServiceOf(ctx.ws);
  if (!decl) return [];
  const labels = labelsOf(ctx, decl.name, { 'app.kubernetes.io/component': 'berth-service' });
  const selector = {
    'app.kubernetes.io/name': decl.name,
    'app.kubernetes.io/part-of': ctx.platformName,
  };
  const meta = (name: string, annotations?: Record<string, string>) => ({
    name,
    namespace: decl.namespace,
    labels,
    ...(annotations ? { annotations } : {}),
  });
  const spec = decl.spec;
  const specFile = serviceSpecFile(ctx, decl);
  const out: KubeObject[] = [
    ...serviceRbac(ctx, decl, labels),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${decl.name}-spec`),
      data: { [SPEC_FILE]: specFile },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(decl.name),
      spec: {
        replicas: spec.replicas,
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        selector: { matchLabels: selector },
        template: podTemplate(ctx, decl, labels, selector, specFile),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(decl.name),
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: spec.dashboard.port, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    serviceNetworkPolicy(ctx, decl, labels, selector),
  ];
  if (spec.replicas >= 2)
    out.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(decl.name),
      spec: {
        minAvailable: spec.replicas - 1,
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchLabels: selector },
      },
    });
  const ing = spec.dashboard.ingress;
  if (ing) {
    const annotations: Record<string, string> = { ...ing.annotations };
    if (ing.tls && ctx.platform.ingress.clusterIssuer !== undefined)
      annotations['cert-manager.io/cluster-issuer'] = ctx.platform.ingress.clusterIssuer;
    const className = ing.className ?? ctx.platform.ingress.className;
    const body: Json = {};
    if (className !== undefined) body.ingressClassName = className;
    if (ing.tls)
      body.tls = [{ hosts: [ing.host], secretName: ing.tlsSecretName ?? `${decl.name}-tls` }];
    body.rules = [
      {
        host: ing.host,
        http: {
          paths: [
            {
              path: ing.path,
              pathType: 'Prefix',
              backend: { service: { name: decl.name, port: { name: 'http' } } },
            },
          ],
        },
      },
    ];
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(
        decl.name,
        Object.keys(annotations).length
          ? Object.fromEntries(sortedEntries(annotations))
          : undefined,
      ),
      spec: body,
    });
  }
  return out;
}

function podTemplate(
  ctx: RenderContext,
  decl: BerthServiceDecl,
  labels: Record<string, string>,
  selector: Record<string, string>,
  specFile: string,
): Json {
  const spec = decl.spec;
  const podLabels: Record<string, string> = { ...labels };
  // Queue stores admit the autoscaler's pods by this label (src/render/network.ts).
  if (berthPools(ctx.ws).length > 0) podLabels[AUTOSCALER_POD_LABEL] = 'true';
  const secrets = serviceSecretNames(decl);
  const pool = ctx.platform.nodePools.find((p) => p.name === spec.nodePool);
  const podSpec: Json = {
    serviceAccountName: decl.name,
    // The only pod of the platform that talks to the API server as berth.
    automountServiceAccountToken: true,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SERVICE_UID,
      runAsGroup: SERVICE_UID,
      fsGroup: SERVICE_UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: 30,
  };
  const pullSecrets = [...ctx.platform.imagePullSecrets].sort();
  if (pullSecrets.length > 0) podSpec.imagePullSecrets = pullSecrets.map((name) => ({ name }));
  if (pool && Object.keys(pool.nodeSelector).length > 0)
    podSpec.nodeSelector = Object.fromEntries(sortedEntries(pool.nodeSelector));
  if (pool && pool.tolerations.length > 0)
    podSpec.tolerations = pool.tolerations.map((t) => ({
      key: t.key,
      operator: t.operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      effect: t.effect,
    }));
  if (spec.replicas > 1)
    podSpec.topologySpreadConstraints = [
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ].map((topologyKey) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    }));
  podSpec.containers = [container(ctx, decl)];
  podSpec.volumes = [
    { name: 'spec', configMap: { name: `${decl.name}-spec`, defaultMode: 0o444 } },
    { name: 'tmp', emptyDir: { sizeLimit: ctx.platform.defaults.tmpSizeLimit } },
  ];
  return {
    metadata: {
      labels: podLabels,
      annotations: {
        'berth.dev/config-hash': hashOf(specFile),
        'berth.dev/secret-hash': hashOf({
          secrets: secrets.map((name) => ctx.ws.secrets.find((s) => s.name === name)?.spec),
          store: ctx.platform.secrets,
        }),
        // No prometheus.io/scrape: /metrics needs the bearer token (docs/service.md, ADR 0140).
      },
    },
    spec: podSpec,
  };
}

function container(ctx: RenderContext, decl: BerthServiceDecl): Json {
  const spec = decl.spec;
  const r = spec.resources;
  const field = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  const env: Json[] = [
    { name: 'POD_NAME', ...field('metadata.name') },
    { name: 'POD_NAMESPACE', ...field('metadata.namespace') },
  ];
  // `berth serve` reads the other LLM settings from the Watchdog document; only the key is secret.
  const llm = decl.watchdog?.spec.llm;
  if (llm?.apiKey)
    env.push({
      name: 'BERTH_LLM_API_KEY',
      valueFrom: {
        secretKeyRef: { name: secretNameOf(ctx, llm.apiKey.secret), key: llm.apiKey.key },
      },
    });
  const envFrom: Json[] = [...new Set([...spec.envFrom, spec.dashboard.authSecret])]
    .sort()
    .map((s) => ({ secretRef: { name: secretNameOf(ctx, s) } }));
  const http = (path: string, failureThreshold: number) => ({
    httpGet: { path, port: 'http', scheme: 'HTTP' },
    initialDelaySeconds: 0,
    periodSeconds: 5,
    timeoutSeconds: 2,
    failureThreshold,
    successThreshold: 1,
  });
  return {
    name: 'berth',
    image: withRegistry(ctx.platform.registry, spec.image),
    imagePullPolicy: spec.imagePullPolicy,
    args: ['serve', `${SPEC_DIR}/${SPEC_FILE}`, '--listen', `0.0.0.0:${spec.dashboard.port}`],
    ports: [{ name: 'http', containerPort: spec.dashboard.port, protocol: 'TCP' }],
    env,
    envFrom,
    resources: {
      requests: {
        cpu: r.requests.cpu,
        memory: r.requests.memory,
        'ephemeral-storage': r.requests.ephemeralStorage,
      },
      limits: {
        cpu: r.limits.cpu,
        memory: r.limits.memory,
        'ephemeral-storage': r.limits.ephemeralStorage,
      },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: SERVICE_UID,
      runAsGroup: SERVICE_UID,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    startupProbe: http('/healthz', 24),
    livenessProbe: http('/healthz', 3),
    // Ready once the informers have synced (ADR 0103); a standby is ready too: it serves the
    // dashboard. /readyz is open (ADR 0140): the kubelet sends no credentials.
    readinessProbe: http('/readyz', 3),
    lifecycle: { preStop: { sleep: { seconds: ctx.platform.defaults.preStopSleepSeconds } } },
    volumeMounts: [
      { name: 'spec', mountPath: SPEC_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}
