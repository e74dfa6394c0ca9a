// Every CLI command, one entry each. Adding a command: a file in this folder and an entry here.
// Only the command being run is loaded (start-up time, ADR 0052): `load` imports its file on
// demand, and `summary` (its description, checked by src/cli/commands/index.test.ts) is what the
// top-level --help shows without loading anything.
import type { CommandEntry } from '../command.ts';

export const commands: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary:
      'Check a workspace (a file or a folder of berth.dev/v1alpha1 documents) and report every error with file:line:column',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'render',
    summary:
      'Render a workspace to hardened Kubernetes objects: a YAML stream on stdout, or a folder per component with -o',
    load: async () => (await import('./render.ts')).renderCommand,
  },
  {
    name: 'schema',
    summary:
      'Print the JSON Schema of the workspace documents (for # yaml-language-server: $schema=...)',
    load: async () => (await import('./schema.ts')).schemaCommand,
  },
  {
    name: 'sandbox',
    summary:
      'a local Kubernetes control plane without a container runtime, for tests and demos (see docs/sandbox.md)',
    load: async () => (await import('./sandbox.ts')).sandboxCommand,
  },
  {
    name: 'audit',
    summary:
      'Check manifests, berth specs and Dockerfiles against hardening checks; --fix repairs what is safe to repair',
    load: async () => (await import('./audit.ts')).auditCommand,
  },
  {
    name: 'apply',
    summary:
      'Server-side apply a berth spec (rendered on the fly), a Helm chart, a kustomization or rendered manifests (files, folders, - for stdin) in dependency order; with --wait, until everything is ready',
    load: async () => (await import('./apply.ts')).applyCommand,
  },
  {
    name: 'up',
    summary:
      'Deploy a workspace and wait until it runs: uses the configured cluster, or starts the berth sandbox when none is configured; ends with a table of what runs where',
    load: async () => (await import('./up.ts')).upCommand,
  },
  {
    name: 'workflow',
    summary: 'run DAG workflows (apply, wait, jobs, scale, rollback...): resumable, reversible',
    load: async () => (await import('./workflow.ts')).workflowCommand,
  },
  {
    name: 'watchdog',
    summary:
      'keep the cluster healthy: detect problems as they happen, fix what the policy allows (with a ledger and undo), notify Discord/Slack/webhooks',
    load: async () => (await import('./watchdog.ts')).watchdogCommand,
  },
  {
    name: 'serve',
    summary:
      'berth in the cluster: the watchdog and the autoscaler in one process, one leader (Lease) acts, warm standbys; /healthz, /readyz, /metrics and the dashboard (docs/service.md)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'autoscale',
    summary: "berth's queue-depth autoscaler for agent pools (docs/autoscale.md)",
    load: async () => (await import('./autoscale.ts')).autoscaleCommand,
  },
  {
    name: 'diff',
    summary:
      'Show what apply would change: a server-side dry run against the live cluster, one unified diff per object (Secret values masked), what would be pruned, and fields taken back from other managers; exit 0 when nothing would change, 1 when something would',
    load: async () => (await import('./diff.ts')).diffCommand,
  },
  {
    name: 'history',
    summary:
      "List a release's revisions (stored in the cluster): time, status, images, who applied it and what it was",
    load: async () => (await import('./history.ts')).historyCommand,
  },
  {
    name: 'rollback',
    summary:
      'Re-apply a recorded revision of a release (default: the last deployed one before the current), prune what later revisions added, and record it as a new revision',
    load: async () => (await import('./rollback.ts')).rollbackCommand,
  },
  {
    name: 'status',
    summary:
      "Every workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) and claim of a release (or of all releases): ready/desired, nodes, the release's revision, who owns the replicas, and why it is not ready; exit 1 when anything is not ready",
    load: async () => (await import('./status.ts')).statusCommand,
  },
  {
    name: 'scale',
    summary:
      'Set the replicas of a component (<release>/<component> or <component>) through the /scale subresource; refuses to scale a single-writer agent above 1, warns when an autoscaler owns the replicas',
    load: async () => (await import('./scale.ts')).scaleCommand,
  },
  {
    name: 'upgrade',
    summary:
      "Change a component's image (<release>/<component> or <component>) as a new revision of its release; with --atomic, roll back when it does not become ready",
    load: async () => (await import('./upgrade.ts')).upgradeCommand,
  },
  {
    name: 'restart',
    summary:
      'Roll every pod of a component (<release>/<component> or <component>) as kubectl rollout restart does; with --wait, until it is ready again',
    load: async () => (await import('./restart.ts')).restartCommand,
  },
  {
    name: 'logs',
    summary:
      'Print the logs of every pod and container of a component (<release>/<component> or <component>), each line prefixed with pod/container; -f follows, including pods that replace them',
    load: async () => (await import('./logs.ts')).logsCommand,
  },
];
