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
    name: 'autoscale',
    summary: "berth's queue-depth autoscaler for agent pools (docs/autoscale.md)",
    load: async () => (await import('./autoscale.ts')).autoscaleCommand,
  },
];
