/**
 * berth's own in-cluster service (`berth serve`, ADR 0100) as the spec declares it: the `service`
 * and `llm` sections of the Watchdog document, and `autoscaling.service` of the Platform for
 * workspaces whose only in-cluster part is the autoscaler (ADR 0115). Rendered by
 * src/render/service.ts.
 */
import { egress, ingress, secretKeyRef } from './common.ts';
import { arr, Format, int, obj, optional, str, type Infer } from './dsl.ts';
import { imageFields } from './workload.ts';

const dashboard = obj(
  {
    port: int({
      description:
        'Port of the HTTP server: /healthz, /readyz, /metrics and the dashboard (the Service port too).',
      minimum: 1024,
      maximum: 65535,
      default: 8080,
    }),
    authSecret: str({
      description:
        'Declared Secret (Vault through ESO) with the credentials, consumed with envFrom: BERTH_DASHBOARD_TOKEN (bearer) and/or BERTH_DASHBOARD_USER + BERTH_DASHBOARD_PASSWORD_HASH (scrypt, from `hashPassword`). Mandatory: the server binds the pod address for the kubelet probes, and ADR 0103 refuses a non-loopback bind without credentials.',
      format: Format.name,
    }),
    ingress: optional(ingress, 'no Ingress (reach it with kubectl port-forward)'),
  },
  { description: "The service's HTTP server and dashboard." },
);

export const berthService = obj(
  {
    image: str({
      description:
        "berth's image (the repository's Dockerfile), pinned; the platform registry prefixes it when it has no registry host.",
      format: Format.image,
    }),
    ...imageFields,
    replicas: int({
      description:
        'Replicas: one leads (Lease), the others are warm standbys; 2 or more get a PodDisruptionBudget.',
      minimum: 1,
      maximum: 5,
      default: 2,
    }),
    name: str({
      description:
        "Name of the service's objects (Deployment, Service, ConfigMap <name>-spec, ...) and of its one identity, the ServiceAccount the watchdog's and the autoscaler's least-privilege rules are bound to.",
      format: Format.name,
      default: 'berth',
    }),
    resources: obj(
      {
        requests: obj(
          {
            cpu: str({ description: 'CPU requests.', format: Format.cpu, default: '100m' }),
            memory: str({
              description: 'Memory requests.',
              format: Format.bytes,
              default: '256Mi',
            }),
            ephemeralStorage: str({
              description: 'Ephemeral storage requests.',
              format: Format.bytes,
              default: '64Mi',
            }),
          },
          { description: 'Requests.' },
        ),
        limits: obj(
          {
            cpu: str({ description: 'CPU limits.', format: Format.cpu, default: '1' }),
            memory: str({ description: 'Memory limits.', format: Format.bytes, default: '512Mi' }),
            ephemeralStorage: str({
              description: 'Ephemeral storage limits.',
              format: Format.bytes,
              default: '256Mi',
            }),
          },
          { description: 'Limits.' },
        ),
      },
      {
        description:
          "Requests and limits of berth's container (the RSS goal is under 200 MB with 5,000 pods watched).",
      },
    ),
    nodePool: optional(
      str({ description: 'Node pool (platform nodePools) the pods run on.', format: Format.name }),
      'any node',
    ),
    envFrom: arr(str({ description: 'Declared Secret name.', format: Format.name }), {
      description:
        'Declared Secrets (Vault through ESO) whose keys become environment variables: the notifiers’ tokens (DISCORD_BOT_TOKEN, DISCORD_HOME_CHANNEL, SLACK_WEBHOOK_URL, ...).',
      default: [],
    }),
    egress: arr(egress, {
      description:
        "Egress beyond what berth derives (DNS, the API server, the notifiers' hosts, the LLM endpoint): a webhook target's host, for instance.",
      default: [],
    }),
    dashboard,
  },
  { description: "berth's in-cluster service (`berth serve`): image, replicas, resources, HTTP." },
);
export type BerthServiceSpec = Infer<typeof berthService>;

/** Defaults mirror src/llm/config.ts `llmDefaults` (a test keeps them equal). */
export const berthLlm = obj(
  {
    baseURL: str({
      description:
        'OpenAI-compatible base URL (LiteLLM, Ollama, vLLM): http://litellm.litellm.svc.cluster.local:4000/v1. Becomes BERTH_LLM_BASE_URL; the NetworkPolicy allows egress to its host and port.',
      format: Format.url,
    }),
    model: str({
      description:
        'Model that explains incidents: a cheap, fast one is enough (seed 003: the summaries model). BERTH_LLM_MODEL.',
    }),
    apiKey: optional(
      secretKeyRef,
      'no key (an in-cluster LiteLLM may need none); else BERTH_LLM_API_KEY from this Secret key',
    ),
    timeoutSeconds: int({
      description: 'Bound of one explanation, retries included (BERTH_LLM_TIMEOUT_MS).',
      minimum: 1,
      maximum: 300,
      default: 20,
    }),
    incidentTokens: int({
      description: 'Tokens (prompt + answer) one incident may use in a day.',
      minimum: 1,
      default: 4_000,
    }),
    dailyTokens: int({
      description: 'Tokens all incidents may use per UTC day.',
      minimum: 1,
      default: 50_000,
    }),
    answerTokens: int({
      description: 'Answer cap in tokens (max_tokens).',
      minimum: 1,
      default: 300,
    }),
    answerChars: int({
      description: 'Answer cap in characters, after which the text is cut.',
      minimum: 1,
      default: 1_200,
    }),
  },
  {
    description:
      'LLM explanations of incidents (ADR 0101): the LLM explains, the policy decides. Off when absent.',
  },
);
export type BerthLlmSpec = Infer<typeof berthLlm>;

export const serviceSectionAbsent = 'not rendered as a service (run `berth watchdog run` yourself)';
export const llmSectionAbsent = 'no LLM: notifications carry the deterministic message only';
