// Workspaces and helpers the service rendering tests share: a Platform, the secrets the service
// needs, a Watchdog document with a chosen allowlist, and (optionally) a queue pool on NATS.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/model/object.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { validateWorkspace, type Workspace } from '../../src/spec/workspace.ts';
import { parseYamlStream } from '../../src/yaml/stream.ts';

export const platformDoc = `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata: { name: demo }
spec:
  namespace: apps
  ingress: { className: traefik, clusterIssuer: letsencrypt, controllerNamespace: ingress }
---
apiVersion: berth.dev/v1alpha1
kind: Secret
metadata: { name: berth-env }
spec: { vault: { path: kv/demo/berth } }
---
apiVersion: berth.dev/v1alpha1
kind: Secret
metadata: { name: berth-dashboard }
spec: { vault: { path: kv/demo/dashboard } }
`;

export const poolDocs = `---
apiVersion: berth.dev/v1alpha1
kind: Store
metadata: { name: nats, namespace: queues }
spec: { engine: nats, image: 'nats:2.10.24-alpine' }
---
apiVersion: berth.dev/v1alpha1
kind: AgentPool
metadata: { name: worker, namespace: workers }
spec:
  image: ghcr.io/acme/worker:1.0.0
  probes: { command: [worker, --check] }
  minReplicas: 1
  maxReplicas: 6
  queue: { store: nats, stream: TASKS, consumer: worker }
`;

export interface WatchdogOptions {
  actions?: string[];
  include?: string[];
  dryRun?: boolean;
  extra?: string;
  service?: string;
}

export function watchdogDoc(o: WatchdogOptions = {}): string {
  const actions = (o.actions ?? []).map(
    (a) =>
      `    - { action: ${a}, detectors: [pod-restart-loop], transientOnly: false${a === 'scale' ? ', minReplicas: 1, maxReplicas: 3' : ''} }`,
  );
  return `---
apiVersion: berth.dev/v1alpha1
kind: Watchdog
metadata: { name: berth }
spec:
  dryRun: ${o.dryRun ?? false}
  namespaces: { include: [${(o.include ?? []).join(', ')}] }
  actions:${actions.length ? `\n${actions.join('\n')}` : ' []'}
  notify: [{ type: discord-bot }]
${o.extra ?? ''}  service:
${
  o.service ??
  `    image: registry.example/berth:0.9.0
    envFrom: [berth-env]
    dashboard:
      authSecret: berth-dashboard
      ingress: { host: berth.example.org }
`
}`;
}

export function workspaceOf(text: string): Workspace {
  const { workspace, diagnostics } = validateWorkspace([parseYamlStream(text, 'ws.yaml')]);
  assert.deepEqual(diagnostics, []);
  assert.ok(workspace);
  return workspace;
}

export function diagnosticsOf(text: string): string[] {
  return validateWorkspace([parseYamlStream(text, 'ws.yaml')]).diagnostics.map(
    (d) => `${d.position?.line ?? 0} ${d.path ?? ''}: ${d.message}`,
  );
}

export const renderText = (text: string): KubeObject[] => renderWorkspace(workspaceOf(text));

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Every rule of every Role/ClusterRole bound to ServiceAccount `ns/name`, with its role's kind. */
export function rulesBoundTo(
  objects: readonly KubeObject[],
  namespace: string,
  name: string,
): { kind: string; binding: string; rule: Rule }[] {
  const out: { kind: string; binding: string; rule: Rule }[] = [];
  for (const b of objects.filter(
    (o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding',
  )) {
    const binding = b as KubeObject & {
      roleRef: { kind: string; name: string };
      subjects: { kind: string; name: string; namespace?: string }[];
    };
    if (!binding.subjects.some((s) => s.name === name && s.namespace === namespace)) continue;
    const role = objects.find(
      (o) =>
        o.kind === binding.roleRef.kind &&
        o.metadata.name === binding.roleRef.name &&
        (o.kind === 'ClusterRole' || o.metadata.namespace === b.metadata.namespace),
    ) as (KubeObject & { rules: Rule[] }) | undefined;
    assert.ok(role, `${b.kind} ${b.metadata.name} refers to a rendered role`);
    for (const rule of role.rules) out.push({ kind: b.kind, binding: b.metadata.name, rule });
  }
  return out;
}

export const WRITE_VERBS = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'escalate',
  'bind',
  'impersonate',
]);
