/**
 * The watchdog's RBAC, generated from its detectors and its action allowlist (never wider): read
 * what the detectors read, write only what the allowed actions write, and its own two
 * ConfigMaps. No Secrets unless a detector reads TLS Secrets and `tlsSecrets` is on; no
 * nodes/proxy (it allows exec), no pods/exec, no cluster-scoped writes. Pure.
 */
import type { KubeObject } from '../model/object.ts';
import type { Detector } from './model.ts';
import type { ActionType } from './policy/types.ts';

export interface RbacOptions {
  /** Namespace of the ServiceAccount and the ledger/state ConfigMaps. */
  namespace: string;
  /** @default berth-watchdog */
  serviceAccount?: string;
  detectors: readonly Detector[];
  actions: readonly ActionType[];
  /** Namespaces it may act in; empty: all (a ClusterRoleBinding of the write role). */
  include: readonly string[];
  /** Read TLS Secrets for cert-expiry (this grants reading every Secret). @default false */
  tlsSecrets?: boolean;
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const plural: Readonly<Record<string, [string, string]>> = {
  Node: ['', 'nodes'],
  Pod: ['', 'pods'],
  Event: ['', 'events'],
  Service: ['', 'services'],
  Secret: ['', 'secrets'],
  PersistentVolumeClaim: ['', 'persistentvolumeclaims'],
  'apps/Deployment': ['apps', 'deployments'],
  'apps/ReplicaSet': ['apps', 'replicasets'],
  'apps/StatefulSet': ['apps', 'statefulsets'],
  'apps/DaemonSet': ['apps', 'daemonsets'],
  'batch/Job': ['batch', 'jobs'],
  'batch/CronJob': ['batch', 'cronjobs'],
  'discovery.k8s.io/EndpointSlice': ['discovery.k8s.io', 'endpointslices'],
  'autoscaling/HorizontalPodAutoscaler': ['autoscaling', 'horizontalpodautoscalers'],
  'keda.sh/ScaledObject': ['keda.sh', 'scaledobjects'],
  'argoproj.io/Application': ['argoproj.io', 'applications'],
  'cert-manager.io/Certificate': ['cert-manager.io', 'certificates'],
};

const writes: Readonly<Record<ActionType, Rule[]>> = {
  'rollout-restart': [
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets', 'daemonsets'],
      verbs: ['patch'],
    },
  ],
  'delete-pod': [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }],
  scale: [
    {
      apiGroups: ['apps'],
      resources: ['deployments/scale', 'statefulsets/scale'],
      verbs: ['get', 'patch'],
    },
  ],
  // create: `berth watchdog undo` recreates a deleted Job from the ledger.
  'delete-job': [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete', 'create'] }],
};

function group(rules: Rule[]): Rule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const r of rules)
    for (const g of r.apiGroups)
      for (const res of r.resources) byGroup.set(g, (byGroup.get(g) ?? new Set()).add(res));
  return [...byGroup]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([g, res]) => ({
      apiGroups: [g],
      resources: [...res].sort(),
      verbs: ['get', 'list', 'watch'],
    }));
}

export function watchdogRbac(o: RbacOptions): KubeObject[] {
  const sa = o.serviceAccount ?? 'berth-watchdog';
  const name = `berth-watchdog-${o.namespace}`;
  const labels = {
    'app.kubernetes.io/name': 'berth-watchdog',
    'app.kubernetes.io/managed-by': 'berth',
  };
  const reads: Rule[] = [];
  for (const key of new Set(o.detectors.flatMap((d) => d.reads))) {
    if (key === 'Secret' && !o.tlsSecrets) continue;
    const p = plural[key];
    if (p) reads.push({ apiGroups: [p[0]], resources: [p[1]], verbs: ['get', 'list', 'watch'] });
  }
  reads.push({ apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] });
  const readRules: Rule[] = [
    ...group(reads),
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: ['get', 'list'] },
  ];
  const writeRules = o.actions.flatMap((a) => writes[a]);
  const subject = [{ kind: 'ServiceAccount', name: sa, namespace: o.namespace }];
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: sa, namespace: o.namespace, labels },
      automountServiceAccountToken: true,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `${name}-read`, labels },
      rules: readRules,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${name}-read`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-read` },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'berth-watchdog-state', namespace: o.namespace, labels },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          verbs: ['get', 'patch', 'update'],
          resourceNames: ['berth-watchdog-ledger', 'berth-watchdog-state', 'berth-watchdog-outbox'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'berth-watchdog-state', namespace: o.namespace, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'berth-watchdog-state',
      },
      subjects: subject,
    },
  ];
  if (writeRules.length === 0) return out;
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: `${name}-act`, labels },
    rules: writeRules,
  });
  const roleRef = {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: `${name}-act`,
  };
  if (o.include.length === 0)
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${name}-act`, labels },
      roleRef,
      subjects: subject,
    });
  else
    for (const ns of o.include)
      out.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${name}-act`, namespace: ns, labels },
        roleRef,
        subjects: subject,
      });
  return out;
}
