/** The spec's kinds: one schema each, registered in `kinds` (the single list everything derives from). */
import { ingress } from './common.ts';
import { arr, bool, Format, int, map, obj, optional, str, type Field, type Infer } from './dsl.ts';
import { workloadFields } from './workload.ts';
import { poolSpec } from './agent-pool.ts';

import { platformSpec } from './platform.ts';
import { watchdogSpec } from './watchdog.ts';
import { workflowSpec } from './workflow.ts';
const storage = obj(
  {
    size: optional(
      str({ description: 'PVC size.', format: Format.bytes }),
      'platform agents.storageSize (10Gi)',
    ),
    storageClass: optional(str({ description: 'StorageClass.' }), 'platform defaults.storageClass'),
    mountPath: optional(
      str({ description: 'Mount path.', format: Format.absolutePath }),
      'platform agents.mountPath (/data)',
    ),
    accessMode: str({
      description:
        'ReadWriteOnce, or ReadWriteOncePod where the CSI driver supports it (a second guard against two writers).',
      enum: ['ReadWriteOnce', 'ReadWriteOncePod'] as const,
      default: 'ReadWriteOnce',
    }),
  },
  { description: "The agent's PersistentVolumeClaim (one per agent, single writer)." },
);

const llm = obj(
  {
    baseUrl: str({
      description: 'OpenAI-compatible endpoint (LiteLLM, Ollama).',
      format: Format.url,
    }),
    model: optional(str({ description: 'Default model name.' }), 'no model variable'),
    apiKey: optional(
      obj(
        {
          secret: str({ description: 'Secret document.', format: Format.name }),
          key: str({ description: 'Key.' }),
        },
        { description: 'API key secret.' },
      ),
      'no key variable',
    ),
    baseUrlEnv: str({ description: 'Variable that carries baseUrl.', default: 'OPENAI_BASE_URL' }),
    modelEnv: str({ description: 'Variable that carries model.', default: 'LLM_MODEL' }),
    apiKeyEnv: str({
      description: 'Variable that carries the API key.',
      default: 'OPENAI_API_KEY',
    }),
  },
  { description: 'The LLM endpoint, passed as environment variables.' },
);

const schedule = obj(
  {
    name: str({ description: 'Job name.', format: Format.name }),
    schedule: str({
      description:
        'Standard 5-field cron ("0 8 * * *") or "every <n>m|h|d" with an optional " at HH:MM" for days.',
      format: Format.cron,
    }),
    prompt: str({ description: 'What the agent does on each run.' }),
    deliver: str({ description: 'Where the result goes.', default: 'discord' }),
    silentWhenHealthy: bool({ description: 'Stay silent when all is well.', default: true }),
  },
  { description: "A job of the agent's own scheduler." },
);

const agentSpec = obj(
  {
    image: optional(
      str({ description: 'Image (pinned tag).', format: Format.image }),
      'platform agents.image',
    ),
    ...workloadFields,
    storage,
    llm: optional(llm, 'no LLM variables'),
    schedules: arr(schedule, {
      description: 'Agent-native scheduled jobs, rendered to the file schedulesPath.',
      default: [],
      uniqueBy: 'name',
    }),
    schedulesPath: str({
      description: 'File the schedules are mounted at.',
      format: Format.absolutePath,
      default: '/etc/berth/schedules.yaml',
    }),
    ingress: optional(ingress, 'no Ingress'),
  },
  { description: 'A stateful singleton agent: one replica, Recreate, its own PVC.' },
);

const autoscaling = obj(
  {
    minReplicas: int({ description: 'Lower bound.', minimum: 1, default: 2 }),
    maxReplicas: int({ description: 'Upper bound.', minimum: 1 }),
    cpu: int({
      description: 'Average CPU utilization target.',
      minimum: 1,
      maximum: 100,
      default: 70,
    }),
    memory: optional(
      int({ description: 'Average memory utilization target.', minimum: 1, maximum: 100 }),
      'no memory metric',
    ),
    scaleDownStabilizationSeconds: int({
      description: 'Scale-down stabilization window.',
      minimum: 0,
      default: 300,
    }),
  },
  { description: 'HorizontalPodAutoscaler (autoscaling/v2).' },
);

const serviceSpec = obj(
  {
    image: str({ description: 'Image (pinned tag).', format: Format.image }),
    ...workloadFields,
    role: str({
      description: 'What the service is (label berth.dev/role).',
      enum: ['api', 'frontend', 'mcp-gateway', 'llm-router', 'worker', 'other'] as const,
      default: 'other',
    }),
    replicas: int({
      description: 'Replicas (a PodDisruptionBudget is rendered from 2).',
      minimum: 0,
      default: 2,
    }),
    autoscaling: optional(autoscaling, 'fixed replicas'),
    ingress: optional(ingress, 'no Ingress'),
  },
  { description: 'A stateless service (API, web frontend, MCP gateway, LLM router).' },
);

const storeSpec = obj(
  {
    engine: str({
      description: 'What the store runs; sets ports, args, probes and data path.',
      enum: ['surrealdb', 'redis', 'nats'] as const,
    }),
    image: str({ description: 'Image (pinned tag).', format: Format.image }),
    ...workloadFields,
    replicas: int({
      description: 'StatefulSet replicas (nats clusters itself from 3).',
      minimum: 1,
      default: 1,
    }),
    storage: obj(
      {
        size: str({ description: 'PVC size per replica.', format: Format.bytes, default: '10Gi' }),
        storageClass: optional(
          str({ description: 'StorageClass.' }),
          'platform defaults.storageClass',
        ),
      },
      { description: 'volumeClaimTemplates storage.' },
    ),
  },
  { description: 'A data store run as a StatefulSet with a headless Service.' },
);

const secretSpec = obj(
  {
    vault: optional(
      obj(
        {
          path: str({ description: 'Vault KV path.' }),
          keys: map(str({ description: 'Vault property.' }), {
            description: 'Secret key → Vault property. Empty: every property (dataFrom extract).',
            default: {},
          }),
        },
        { description: 'Read from Vault through an ExternalSecret.' },
      ),
      'not from Vault',
    ),
    existing: optional(
      obj(
        {
          name: optional(
            str({ description: 'Secret name.', format: Format.name }),
            'the document name',
          ),
        },
        { description: 'A Secret created out of band.' },
      ),
      'not pre-existing',
    ),
  },
  {
    description: 'A secret components consume: exactly one of vault or existing.',
    exactlyOne: ['vault', 'existing'],
  },
);

const metadata = obj(
  {
    name: str({
      description: 'Name (DNS label; objects are named after it).',
      format: Format.name,
    }),
    namespace: optional(
      str({ description: 'Namespace.', format: Format.name }),
      'platform spec.namespace',
    ),
    labels: map(str({ description: 'Value.' }), {
      description: 'Extra labels on every rendered object of this component.',
      keyFormat: 'label',
      default: {},
    }),
    annotations: map(str({ description: 'Value.' }), {
      description: 'Extra annotations on the workload.',
      default: {},
    }),
  },
  { description: 'Standard metadata.' },
);

function doc<S extends Field>(kind: string, spec: S) {
  return obj(
    {
      apiVersion: str({
        description: 'Always berth.dev/v1alpha1.',
        enum: ['berth.dev/v1alpha1'] as const,
      }),
      kind: str({ description: `Always ${kind}.`, enum: [kind] as const }),
      metadata,
      spec,
    },
    { description: spec.node.description },
  );
}

export const kinds = {
  Platform: doc('Platform', platformSpec),
  Agent: doc('Agent', agentSpec),
  AgentPool: doc('AgentPool', poolSpec),
  Service: doc('Service', serviceSpec),
  Store: doc('Store', storeSpec),
  Secret: doc('Secret', secretSpec),
  Workflow: doc('Workflow', workflowSpec),
  Watchdog: doc('Watchdog', watchdogSpec),
} as const;
export type KindName = keyof typeof kinds;

export type PlatformDoc = Infer<typeof kinds.Platform>;
export type AgentDoc = Infer<typeof kinds.Agent>;
export type AgentPoolDoc = Infer<typeof kinds.AgentPool>;
export type ServiceDoc = Infer<typeof kinds.Service>;
export type StoreDoc = Infer<typeof kinds.Store>;
export type SecretDoc = Infer<typeof kinds.Secret>;
export type WorkflowDoc = Infer<typeof kinds.Workflow>;
export type WatchdogDoc = Infer<typeof kinds.Watchdog>;
