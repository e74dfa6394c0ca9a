/**
 * What the in-memory API server serves: the built-in kinds berth touches, and the kinds of
 * CustomResourceDefinitions applied to it (registered when the CRD is stored).
 */
import type { KubeObject } from '../../model/object.ts';
import type { ResourceInfo } from '../api.ts';

type Entry = [apiVersion: string, kind: string, plural: string, namespaced: boolean];

const builtIn: readonly Entry[] = [
  ['v1', 'Namespace', 'namespaces', false],
  ['v1', 'Node', 'nodes', false],
  ['v1', 'PersistentVolume', 'persistentvolumes', false],
  ['v1', 'ConfigMap', 'configmaps', true],
  ['v1', 'Secret', 'secrets', true],
  ['v1', 'ServiceAccount', 'serviceaccounts', true],
  ['v1', 'Service', 'services', true],
  ['v1', 'Endpoints', 'endpoints', true],
  ['v1', 'Pod', 'pods', true],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['v1', 'Event', 'events', true],
  ['v1', 'LimitRange', 'limitranges', true],
  ['v1', 'ResourceQuota', 'resourcequotas', true],
  ['apps/v1', 'Deployment', 'deployments', true],
  ['apps/v1', 'StatefulSet', 'statefulsets', true],
  ['apps/v1', 'DaemonSet', 'daemonsets', true],
  ['apps/v1', 'ReplicaSet', 'replicasets', true],
  ['apps/v1', 'ControllerRevision', 'controllerrevisions', true],
  ['batch/v1', 'Job', 'jobs', true],
  ['batch/v1', 'CronJob', 'cronjobs', true],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
  ['networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['storage.k8s.io/v1', 'StorageClass', 'storageclasses', false],
  ['coordination.k8s.io/v1', 'Lease', 'leases', true],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false],
  ['node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses', false],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
  ['authorization.k8s.io/v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false],
  ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false],
  ['authentication.k8s.io/v1', 'SelfSubjectReview', 'selfsubjectreviews', false],
];

/** Kinds with a `/scale` subresource (`spec.replicas`). */
export const scalableKinds = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet']);

export class KindTable {
  private readonly kinds = new Map<string, ResourceInfo>();

  constructor() {
    for (const [apiVersion, kind, name, namespaced] of builtIn)
      this.kinds.set(`${apiVersion}|${kind}`, { name, namespaced });
  }

  get(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.kinds.get(`${apiVersion}|${kind}`);
  }

  /** Serves the kinds of a CustomResourceDefinition (every version it lists). */
  registerCrd(crd: KubeObject): void {
    const spec = crd.spec as
      | {
          group?: string;
          scope?: string;
          names?: { kind?: string; plural?: string };
          versions?: { name?: string }[];
        }
      | undefined;
    const kind = spec?.names?.kind;
    const plural = spec?.names?.plural;
    if (!spec?.group || !kind || !plural) return;
    for (const v of spec.versions ?? [])
      if (v.name)
        this.kinds.set(`${spec.group}/${v.name}|${kind}`, {
          name: plural,
          namespaced: spec.scope !== 'Cluster',
        });
  }
}
