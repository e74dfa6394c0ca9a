/** The RBAC rules behind each apiAccess preset (least privilege; secrets are never in a preset). */
import type { ApiAccess } from './schema/common.ts';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const READ = ['get', 'list', 'watch'];
const WORKLOADS = ['deployments', 'statefulsets', 'daemonsets', 'replicasets'];

export const presetRules: Record<ApiAccess['presets'][number], PolicyRule[]> = {
  'read-workloads': [
    {
      apiGroups: [''],
      resources: [
        'configmaps',
        'endpoints',
        'events',
        'namespaces',
        'nodes',
        'persistentvolumeclaims',
        'persistentvolumes',
        'pods',
        'services',
      ],
      verbs: READ,
    },
    { apiGroups: ['apps'], resources: WORKLOADS, verbs: READ },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
    { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: READ },
  ],
  'restart-workloads': [
    {
      apiGroups: ['apps'],
      resources: ['daemonsets', 'deployments', 'statefulsets'],
      verbs: ['patch'],
    },
  ],
  'scale-workloads': [
    {
      apiGroups: ['apps'],
      resources: ['deployments/scale', 'statefulsets/scale'],
      verbs: ['get', 'patch', 'update'],
    },
  ],
  'delete-pods': [
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  ],
  'read-logs': [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }],
  'exec-pods': [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
};

/** Resources that are cluster-scoped: berth never grants writes to them. */
export const clusterScoped = new Set([
  'nodes',
  'namespaces',
  'persistentvolumes',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'storageclasses',
  'priorityclasses',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'certificatesigningrequests',
  'apiservices',
]);

/** Resources whose write access is privilege escalation. */
export const escalating = new Set([
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
  'serviceaccounts/token',
]);

/** The rules of an apiAccess block: presets first (in preset order), then extra rules. */
export function rulesOf(access: ApiAccess): PolicyRule[] {
  const presets = [...new Set(access.presets)].sort();
  return [
    ...presets.flatMap((p) => presetRules[p]),
    ...access.rules.map((r) => ({
      apiGroups: r.apiGroups,
      resources: r.resources,
      verbs: r.verbs,
    })),
  ];
}
