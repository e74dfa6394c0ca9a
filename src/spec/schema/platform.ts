/** The Platform kind's spec: namespaces, defaults, node pools, secrets, ingress, network, autoscaling, Argo CD. */
import { arr, bool, Format, int, map, obj, optional, str } from './dsl.ts';
import { imageFields } from './workload.ts';
import { berthService } from './berth-service.ts';

const toleration = obj(
  {
    key: str({ description: 'Taint key.' }),
    operator: str({
      description: 'Equal or Exists.',
      enum: ['Equal', 'Exists'] as const,
      default: 'Equal',
    }),
    value: optional(str({ description: 'Taint value.' }), 'no value (operator Exists)'),
    effect: str({
      description: 'Taint effect.',
      enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const,
      default: 'NoSchedule',
    }),
  },
  { description: 'A toleration pods of the pool get.' },
);

const nodePool = obj(
  {
    name: str({ description: 'Pool name components refer to.', format: Format.name }),
    nodeSelector: map(str({ description: 'Label value.' }), {
      description: "Node labels the pool's nodes carry.",
      keyFormat: 'label',
      default: {},
    }),
    tolerations: arr(toleration, {
      description: "Tolerations for the pool's taints.",
      default: [],
    }),
  },
  { description: 'A group of nodes (selector plus tolerations).' },
);

export const platformSpec = obj(
  {
    namespace: optional(
      str({
        description: 'Namespace of components that do not set metadata.namespace.',
        format: Format.name,
      }),
      'the platform name',
    ),
    imagePullSecrets: arr(str({ description: 'Secret name.', format: Format.name }), {
      description:
        "Registry credentials (Secrets of type kubernetes.io/dockerconfigjson created out of band) every pod pulls with, such as seed 003's gitea-registry.",
      default: [],
    }),
    registry: optional(
      str({
        description: 'Registry prefix for images given without one (registry.example.com/team).',
      }),
      'images are used as written',
    ),
    podSecurity: obj(
      {
        level: str({
          description: 'Pod Security level enforced, audited and warned on every namespace.',
          enum: ['restricted', 'baseline'] as const,
          default: 'restricted',
        }),
        version: str({
          description:
            'Pinned Pod Security version (so a cluster upgrade never tightens policy under running pods).',
          default: 'v1.36',
        }),
      },
      { description: 'Pod Security admission labels on the rendered namespaces.' },
    ),
    security: obj(
      {
        runAsUser: int({
          description: 'UID every container runs as (ADR 0011: 1001, not 10000+).',
          minimum: 1,
          default: 1001,
        }),
        runAsGroup: int({ description: 'GID every container runs as.', minimum: 1, default: 1001 }),
        fsGroup: int({ description: 'fsGroup owning mounted volumes.', minimum: 1, default: 1001 }),
      },
      { description: 'Identity of every container.' },
    ),
    defaults: obj(
      {
        resources: obj(
          {
            requests: obj(
              {
                cpu: str({
                  description: 'Default CPU request.',
                  format: Format.cpu,
                  default: '100m',
                }),
                memory: str({
                  description: 'Default memory request.',
                  format: Format.bytes,
                  default: '256Mi',
                }),
                ephemeralStorage: str({
                  description: 'Default ephemeral-storage request.',
                  format: Format.bytes,
                  default: '256Mi',
                }),
              },
              { description: 'Default requests.' },
            ),
            limits: obj(
              {
                cpu: str({ description: 'Default CPU limit.', format: Format.cpu, default: '1' }),
                memory: str({
                  description: 'Default memory limit.',
                  format: Format.bytes,
                  default: '1Gi',
                }),
                ephemeralStorage: str({
                  description: 'Default ephemeral-storage limit.',
                  format: Format.bytes,
                  default: '1Gi',
                }),
              },
              { description: 'Default limits.' },
            ),
          },
          { description: 'Resources for every amount a component leaves out.' },
        ),
        storageClass: optional(
          str({ description: 'StorageClass of PVCs that name none.' }),
          'the cluster default StorageClass',
        ),
        tmpSizeLimit: str({
          description: 'sizeLimit of the /tmp emptyDir.',
          format: Format.bytes,
          default: '256Mi',
        }),
        terminationGracePeriodSeconds: int({
          description: 'Grace period between SIGTERM and SIGKILL.',
          minimum: 1,
          default: 30,
        }),
        preStopSleepSeconds: int({
          description: 'preStop sleep for components behind a Service.',
          minimum: 0,
          default: 5,
        }),
      },
      { description: 'Defaults for every component.' },
    ),
    agents: obj(
      {
        image: optional(
          str({
            description: 'Image every agent shares unless it sets its own.',
            format: Format.image,
          }),
          'each agent sets spec.image',
        ),
        ...imageFields,
        nodePool: optional(
          str({ description: 'Node pool of agents that name none.', format: Format.name }),
          'no node pool',
        ),
        storageSize: str({
          description: 'PVC size of agents that give none.',
          format: Format.bytes,
          default: '10Gi',
        }),
        mountPath: str({
          description: 'Where the agent PVC is mounted when the agent gives no path.',
          format: Format.absolutePath,
          default: '/data',
        }),
      },
      { description: 'Defaults shared by every Agent.' },
    ),
    nodePools: arr(nodePool, {
      description: 'Node pools components can be scheduled on.',
      default: [],
      uniqueBy: 'name',
    }),
    secrets: obj(
      {
        storeName: str({ description: 'External Secrets store (Vault) name.', default: 'vault' }),
        storeKind: str({
          description: 'Store kind.',
          enum: ['ClusterSecretStore', 'SecretStore'] as const,
          default: 'ClusterSecretStore',
        }),
        refreshInterval: str({
          description: 'How often ESO re-reads Vault.',
          format: Format.duration,
          default: '1h',
        }),
        perComponent: bool({
          description:
            'Give every agent, pool and service its own ExternalSecret <component>-env from pathTemplate, consumed with envFrom.',
          default: false,
        }),
        pathTemplate: str({
          description:
            'Vault path of a component secret; {platform}, {namespace} and {component} are replaced.',
          default: 'kv/{platform}/{component}',
        }),
      },
      { description: 'Secrets through External Secrets Operator.' },
    ),
    ingress: obj(
      {
        className: optional(
          str({ description: 'IngressClass name.' }),
          'the cluster default IngressClass',
        ),
        clusterIssuer: optional(
          str({ description: 'cert-manager ClusterIssuer that issues the TLS certificates.' }),
          'no issuer annotation (bring your own TLS Secret)',
        ),
        controllerNamespace: str({
          description: 'Namespace of the ingress controller (NetworkPolicy ingress source).',
          format: Format.name,
          default: 'ingress-nginx',
        }),
      },
      { description: 'Ingress settings.' },
    ),
    network: obj(
      {
        defaultDeny: bool({
          description: 'Render a default-deny NetworkPolicy and DNS egress in every namespace.',
          default: true,
        }),
        dnsNamespace: str({
          description: 'Namespace of the cluster DNS.',
          format: Format.name,
          default: 'kube-system',
        }),
        dnsPodLabels: map(str({ description: 'Value.' }), {
          description: 'Labels of the cluster DNS pods.',
          keyFormat: 'label',
          default: { 'k8s-app': 'kube-dns' },
        }),
        kedaNamespace: str({
          description:
            'Namespace of the KEDA operator, allowed to read the queue stores of queue-scaled pools.',
          format: Format.name,
          default: 'keda',
        }),
        apiServerCidrs: arr(str({ description: 'CIDR.', format: Format.cidr }), {
          description:
            'Addresses of the Kubernetes API server, for components with apiAccess. Empty: TCP 443 and 6443 to any address (the API server address is cluster-specific).',
          default: [],
        }),
        metricsNamespace: optional(
          str({
            description: 'Namespace of Prometheus, allowed to reach metrics ports.',
            format: Format.name,
          }),
          'no scrape ingress rule',
        ),
      },
      { description: 'NetworkPolicy settings.' },
    ),
    autoscaling: obj(
      {
        engine: str({
          description:
            "Who scales queue pools by default (a pool's scaling.engine overrides): berth's autoscaler, or KEDA ScaledObjects.",
          enum: ['berth', 'keda'] as const,
          default: 'berth',
        }),
        namespace: optional(
          str({ description: "Namespace berth's autoscaler runs in.", format: Format.name }),
          'platform spec.namespace',
        ),
        serviceAccount: str({
          description:
            "ServiceAccount of berth's autoscaler (its least-privilege RBAC is rendered).",
          format: Format.name,
          default: 'berth-autoscaler',
        }),
        service: optional(
          berthService,
          "no Deployment: run `berth autoscale run` yourself, or let the Watchdog document's service run the autoscaler",
        ),
      },
      { description: 'Queue autoscaling of agent pools.' },
    ),
    argocd: obj(
      {
        enabled: bool({
          description: 'Render an Argo CD Application per component.',
          default: false,
        }),
        namespace: str({
          description: 'Argo CD namespace.',
          format: Format.name,
          default: 'argocd',
        }),
        project: str({ description: 'Argo CD project.', default: 'default' }),
        repoURL: optional(
          str({ description: 'Git repository holding the rendered folder.' }),
          'required when enabled',
        ),
        targetRevision: str({ description: 'Git revision.', default: 'HEAD' }),
        pathTemplate: str({
          description: 'Path of a component folder in the repository; {component} is replaced.',
          default: '{component}/k8s',
        }),
        automated: bool({ description: 'Automated sync with prune and selfHeal.', default: true }),
      },
      { description: 'Argo CD Applications.' },
    ),
  },
  { description: 'The platform.' },
);
