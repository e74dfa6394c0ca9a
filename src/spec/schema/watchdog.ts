/**
 * The `Watchdog` kind: what the watchdog watches, what it may do about it, and whom it tells
 * (ADR 0091). Without a Watchdog document the watchdog runs every detector, notify-only.
 * Never a cluster-scoped write: the actions are namespaced by construction.
 */
import { berthLlm, berthService, llmSectionAbsent, serviceSectionAbsent } from './berth-service.ts';
import { arr, bool, Format, int, obj, optional, str } from './dsl.ts';

export const watchdogActions = ['rollout-restart', 'delete-pod', 'scale', 'delete-job'] as const;

const action = obj(
  {
    action: str({
      description:
        'rollout-restart (Deployment/StatefulSet/DaemonSet), delete-pod (a stuck pod; its controller recreates it), scale (within min/max), delete-job (a failed Job).',
      enum: watchdogActions,
    }),
    detectors: arr(str({ description: 'Detector id (docs/detectors.md).' }), {
      description: 'Detectors whose incidents may trigger this action.',
      minItems: 1,
    }),
    transientOnly: bool({
      description:
        "Act only when the transient-cause classifier says a restart can help (seed 003's rule: OOM, config parse, missing secret); otherwise notify with the proposed command.",
      default: true,
    }),
    minReplicas: optional(
      int({ description: 'scale: lower bound.', minimum: 0 }),
      'current replicas',
    ),
    maxReplicas: optional(
      int({ description: 'scale: upper bound.', minimum: 1 }),
      'current replicas (no scaling)',
    ),
  },
  { description: 'One allowed remediation.' },
);

const target = obj(
  {
    type: str({
      description:
        'discord (webhook URL), discord-bot (bot token + channel), slack (incoming webhook URL) or webhook (JSON).',
      enum: ['discord', 'discord-bot', 'slack', 'webhook'] as const,
    }),
    urlEnv: optional(
      str({
        description: 'Environment variable holding the webhook URL (a secret: never in the spec).',
      }),
      'DISCORD_WEBHOOK_URL, SLACK_WEBHOOK_URL or BERTH_WEBHOOK_URL by type',
    ),
    tokenEnv: str({
      description: 'discord-bot: variable holding the bot token.',
      default: 'DISCORD_BOT_TOKEN',
    }),
    channelEnv: str({
      description: 'discord-bot: variable holding the channel id.',
      default: 'DISCORD_HOME_CHANNEL',
    }),
  },
  { description: 'Where notifications go.' },
);

const detectorSetting = obj(
  {
    id: str({ description: 'Detector id.' }),
    enabled: bool({ description: 'Run it.', default: true }),
    schedule: optional(
      str({
        description: 'When a scheduled detector runs ("every 15m", "0 8 * * *").',
        format: Format.cron,
      }),
      "the detector's default schedule",
    ),
  },
  { description: 'One detector switched off or rescheduled.' },
);

export const watchdogSpec = obj(
  {
    dryRun: bool({ description: 'Decide and notify, never act.', default: false }),
    namespaces: obj(
      {
        include: arr(str({ description: 'Namespace.', format: Format.name }), {
          description: 'Namespaces watched; empty means all.',
          default: [],
        }),
        exclude: arr(str({ description: 'Namespace.', format: Format.name }), {
          description: 'Namespaces never acted on (still reported).',
          default: ['kube-system', 'kube-public', 'kube-node-lease'],
        }),
      },
      { description: 'Namespace scope.' },
    ),
    detectors: arr(detectorSetting, {
      description: 'Per-detector overrides.',
      default: [],
      uniqueBy: 'id',
    }),
    actions: arr(action, {
      description: 'The remediation allowlist; empty means notify-only.',
      default: [],
    }),
    budgets: obj(
      {
        perWorkloadPerHour: int({
          description: 'Actions on one workload per rolling hour.',
          minimum: 0,
          default: 2,
        }),
        perClusterPerHour: int({
          description: 'Actions in the cluster per rolling hour.',
          minimum: 0,
          default: 10,
        }),
      },
      { description: 'Remediation budgets; past them the watchdog escalates instead.' },
    ),
    cooldown: str({
      description: 'Minimum time between two actions on one workload.',
      format: Format.duration,
      default: '10m',
    }),
    circuitBreaker: obj(
      {
        failures: int({
          description:
            'Consecutive failed remediations after which the watchdog stops acting and tells a human.',
          minimum: 1,
          default: 3,
        }),
        reset: str({
          description: 'Time after the last failure when acting resumes.',
          format: Format.duration,
          default: '1h',
        }),
      },
      { description: 'Stop acting when remediation keeps failing.' },
    ),
    verifyTimeout: str({
      description: 'Deadline for a remediated workload to become ready again.',
      format: Format.duration,
      default: '5m',
    }),
    renotifyAfter: str({
      description: 'Re-send an incident still open after this long.',
      format: Format.duration,
      default: '4h',
    }),
    resolveAfter: str({
      description: 'An incident absent this long is resolved (with a follow-up message).',
      format: Format.duration,
      default: '2m',
    }),
    metricsInterval: str({
      description: 'How often metrics.k8s.io and kubelet volume stats are polled.',
      format: Format.duration,
      default: '1m',
    }),
    metrics: obj(
      {
        prometheus: optional(
          obj(
            {
              url: str({
                description:
                  'Prometheus base URL (http://prometheus.monitoring:9090); PVC usage is read from kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes.',
              }),
              nodeFilesystem: bool({
                description:
                  'Also read node root filesystems from node_filesystem_size_bytes / node_filesystem_avail_bytes (node-exporter, mountpoint="/").',
                default: false,
              }),
            },
            { description: 'Where volume and disk usage come from (pvc-pressure).' },
          ),
          'PVC and node disk usage are not measured (berth watchdog check says so)',
        ),
      },
      { description: 'Metric sources beyond metrics.k8s.io.' },
    ),
    ledgerNamespace: str({
      description:
        'Namespace of the ledger and state ConfigMaps (berth-watchdog-ledger, berth-watchdog-state). With a service section it must be the namespace the service runs in (metadata.namespace, else the platform namespace), which the rendered ConfigMap sets.',
      format: Format.name,
      default: 'berth-system',
    }),
    notify: arr(target, { description: 'Notification targets.', default: [] }),
    service: optional(berthService, serviceSectionAbsent),
    llm: optional(berthLlm, llmSectionAbsent),
  },
  { description: 'The watchdog: detectors, the remediation policy and notification targets.' },
);
