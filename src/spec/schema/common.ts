/** Field groups shared by several kinds: resources, ports, probes, env, network, API access. */
import { arr, bool, Format, int, intOrString, map, obj, optional, str, type Infer } from './dsl.ts';

const cpu = (description: string) =>
  optional(
    str({ description, format: Format.cpu }),
    'the platform default (spec.defaults.resources)',
  );
const bytes = (description: string) =>
  optional(
    str({ description, format: Format.bytes }),
    'the platform default (spec.defaults.resources)',
  );

const resourceAmounts = (what: string) =>
  obj(
    {
      cpu: cpu(`CPU ${what}, in cores (0.5, 2) or millicores (500m).`),
      memory: bytes(`Memory ${what} (512Mi, 2Gi).`),
      ephemeralStorage: bytes(
        `Ephemeral storage ${what} (logs, emptyDir volumes, writable layers).`,
      ),
    },
    { description: `Resource ${what}.` },
  );

export const resources = obj(
  {
    requests: resourceAmounts('requests'),
    limits: resourceAmounts('limits'),
  },
  {
    description:
      'Requests and limits for the main container. Every amount left out comes from the platform defaults, so each container always has CPU, memory and ephemeral-storage requests and limits.',
  },
);
export type Resources = Infer<typeof resources>;

export const port = obj(
  {
    name: str({
      description: 'Port name (used by Services, probes and connections).',
      format: Format.name,
    }),
    port: int({ description: 'Container port number.', minimum: 1, maximum: 65535 }),
    protocol: str({
      description: 'Transport protocol.',
      enum: ['TCP', 'UDP'] as const,
      default: 'TCP',
    }),
    expose: bool({
      description: "Publish the port on the component's ClusterIP Service.",
      default: true,
    }),
    metrics: bool({
      description:
        'Prometheus scrapes this port: the pod template gets prometheus.io/scrape, port and path annotations.',
      default: false,
    }),
    metricsPath: str({
      description: 'HTTP path Prometheus scrapes on a metrics port.',
      default: '/metrics',
    }),
  },
  { description: 'A port the container listens on.' },
);
export type Port = Infer<typeof port>;

const probeTiming = (
  what: string,
  d: { period: number; timeout: number; failure: number; initial: number },
) =>
  obj(
    {
      initialDelaySeconds: int({
        description: `Seconds before the first ${what} probe.`,
        minimum: 0,
        default: d.initial,
      }),
      periodSeconds: int({
        description: `Seconds between ${what} probes.`,
        minimum: 1,
        default: d.period,
      }),
      timeoutSeconds: int({
        description: `Seconds before a ${what} probe times out.`,
        minimum: 1,
        default: d.timeout,
      }),
      failureThreshold: int({
        description: `Consecutive failures before the ${what} probe fails.`,
        minimum: 1,
        default: d.failure,
      }),
    },
    { description: `Timing of the ${what} probe.` },
  );

export const probes = obj(
  {
    enabled: bool({ description: 'Render startup, liveness and readiness probes.', default: true }),
    port: optional(
      intOrString({ description: 'Port (name or number) the probes use.' }),
      'the first declared port',
    ),
    path: optional(
      str({
        description:
          'HTTP health path. With it, readiness and startup use httpGet; liveness always uses tcpSocket so it differs from readiness.',
      }),
      'no path: every probe uses tcpSocket on the probe port',
    ),
    command: optional(
      arr(str({ description: 'Argument.' }), {
        description: 'Exec probe command (for components without ports).',
      }),
      'no exec probe',
    ),
    startup: probeTiming('startup', { initial: 0, period: 5, timeout: 3, failure: 60 }),
    liveness: probeTiming('liveness', { initial: 0, period: 20, timeout: 5, failure: 3 }),
    readiness: probeTiming('readiness', { initial: 0, period: 10, timeout: 3, failure: 3 }),
  },
  {
    description:
      'Probes derived from the declared ports. Startup guards slow boots (5s x 60 = 5 minutes by default); liveness restarts a dead process; readiness gates traffic.',
  },
);
export type Probes = Infer<typeof probes>;

export const writablePath = obj(
  {
    path: str({
      description: 'Absolute path the container writes to.',
      format: Format.absolutePath,
    }),
    sizeLimit: str({
      description: 'emptyDir size limit (counts toward ephemeral storage).',
      format: Format.bytes,
      default: '256Mi',
    }),
    medium: str({
      description: 'emptyDir medium: "" (node disk) or Memory (tmpfs, counts toward memory).',
      enum: ['', 'Memory'] as const,
      default: '',
    }),
  },
  { description: 'A writable directory on the read-only root filesystem, backed by an emptyDir.' },
);

export const secretKeyRef = obj(
  {
    secret: str({
      description: 'Name of a Secret document of the workspace.',
      format: Format.name,
    }),
    key: str({ description: 'Key inside that secret.' }),
  },
  { description: 'One key of a declared secret.' },
);

export const connection = obj(
  {
    to: str({
      description: 'Name of the agent, pool, service or store this component calls.',
      format: Format.name,
    }),
    port: optional(
      intOrString({ description: 'Port name or number on the target.' }),
      'every exposed port of the target',
    ),
  },
  { description: 'An edge: this component opens connections to another one.' },
);
export type Connection = Infer<typeof connection>;

export const egress = obj(
  {
    name: str({
      description:
        'What this egress is for (documentation; shows in the NetworkPolicy annotation).',
      format: Format.name,
    }),
    hosts: arr(str({ description: 'Host name.', format: Format.hostname }), {
      description:
        'Named hosts. Core NetworkPolicy cannot match host names: without cidrs the rule allows the ports to public addresses only (0.0.0.0/0 and ::/0 minus private ranges); see ADR 0013.',
      default: [],
    }),
    cidrs: arr(str({ description: 'CIDR block.', format: Format.cidr }), {
      description: 'Address blocks the rule allows. When given, only these are allowed.',
      default: [],
    }),
    ports: arr(int({ description: 'Port.', minimum: 1, maximum: 65535 }), {
      description: 'Destination ports.',
      default: [443],
    }),
    protocol: str({ description: 'Protocol.', enum: ['TCP', 'UDP'] as const, default: 'TCP' }),
  },
  { description: 'Egress to something outside the cluster.' },
);
export type Egress = Infer<typeof egress>;

export const ingress = obj(
  {
    host: str({ description: 'Public host name.', format: Format.hostname }),
    path: str({ description: 'URL path prefix.', default: '/' }),
    port: optional(
      intOrString({ description: 'Service port (name or number) the Ingress routes to.' }),
      'the first exposed port',
    ),
    tls: bool({
      description:
        'Terminate TLS (secret <component>-tls, issued by the platform clusterIssuer when set).',
      default: true,
    }),
    tlsSecretName: optional(
      str({ description: 'TLS Secret name.', format: Format.name }),
      '<component>-tls',
    ),
    className: optional(
      str({ description: 'IngressClass name.' }),
      'the platform ingress className',
    ),
    annotations: map(str({ description: 'Value.' }), {
      description: 'Extra Ingress annotations.',
      default: {},
    }),
  },
  { description: 'Expose the component through an Ingress (TLS by default).' },
);
export type IngressSpec = Infer<typeof ingress>;

const apiRule = obj(
  {
    apiGroups: arr(str({ description: 'API group ("" for core).' }), {
      description: 'API groups.',
      default: [''],
    }),
    resources: arr(str({ description: 'Resource (plural), optionally with a subresource.' }), {
      description: 'Resources.',
      minItems: 1,
      default: [],
    }),
    verbs: arr(
      str({
        description: 'Verb.',
        enum: [
          'get',
          'list',
          'watch',
          'create',
          'update',
          'patch',
          'delete',
          'deletecollection',
        ] as const,
      }),
      {
        description: 'Verbs ("*" is refused).',
        minItems: 1,
        default: [],
      },
    ),
  },
  { description: 'One RBAC rule.' },
);

const apiAccessPresets = [
  'read-workloads',
  'restart-workloads',
  'scale-workloads',
  'delete-pods',
  'read-logs',
  'exec-pods',
] as const;

export const apiAccess = obj(
  {
    scope: str({
      description:
        'namespace: a Role in the component namespace; cluster: a ClusterRole (never cluster-scoped writes).',
      enum: ['namespace', 'cluster'] as const,
      default: 'namespace',
    }),
    presets: arr(str({ description: 'Preset.', enum: apiAccessPresets }), {
      description:
        'Named permission sets: read-workloads (get/list/watch on workloads, pods, events, services, configmaps, PVCs, ingresses, nodes and namespaces, never secrets), restart-workloads and scale-workloads (patch on workloads and their scale), delete-pods (delete and evict pods), read-logs (pods/log), exec-pods (pods/exec, off unless listed).',
      default: [],
    }),
    rules: arr(apiRule, { description: 'Extra rules, merged after the presets.', default: [] }),
  },
  {
    description:
      'The Kubernetes API access the component needs. Declaring it mounts the ServiceAccount token and renders a least-privilege Role or ClusterRole with its binding.',
  },
);
export type ApiAccess = Infer<typeof apiAccess>;

export const initContainer = obj(
  {
    name: str({ description: 'Init container name.', format: Format.name }),
    image: optional(str({ description: 'Image.', format: Format.image }), 'the component image'),
    command: arr(str({ description: 'Argument.' }), {
      description: 'Command.',
      minItems: 1,
      default: [],
    }),
  },
  {
    description:
      'An init container, hardened like the main container and sharing its env and mounts.',
  },
);

export const securityOverrides = obj(
  {
    runAsUser: optional(
      int({ description: 'UID.', minimum: 1 }),
      'the platform security.runAsUser',
    ),
    runAsGroup: optional(
      int({ description: 'GID.', minimum: 1 }),
      'the platform security.runAsGroup',
    ),
    fsGroup: optional(
      int({ description: 'fsGroup for volumes.', minimum: 1 }),
      'the platform security.fsGroup',
    ),
    readOnlyRootFilesystem: bool({
      description: 'Mount the root filesystem read-only (writable paths get emptyDirs).',
      default: true,
    }),
    addNetBindService: bool({
      description:
        'Add NET_BIND_SERVICE (the only capability Pod Security restricted allows) for ports below 1024.',
      default: false,
    }),
  },
  { description: 'Per-component overrides of the hardened security context (UID 0 is refused).' },
);
