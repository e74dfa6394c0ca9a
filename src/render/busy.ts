/**
 * An agent marks its own pod busy (ADR 0135, closing ADR 0087's open point). For a pool with
 * `scaling.busyToken`, the pod mounts a projected ServiceAccount token bound to the pod (10
 * minutes, rotated by the kubelet; `automountServiceAccountToken` stays false), the pool's
 * ServiceAccount may `patch` pods in its namespace, and a ValidatingAdmissionPolicy lets that
 * ServiceAccount change nothing but the `berth.dev/busy` annotation, and only on the pod its token
 * is bound to (the token's `authentication.kubernetes.io/pod-name` claim). RBAC alone cannot say
 * "its own pod": pod names are generated and a Role's `resourceNames` are fixed.
 */
import { BUSY_ANNOTATION } from '../autoscale/names.ts';
import type { KubeObject } from '../model/object.ts';
import type { Component } from '../spec/workspace.ts';
import { componentLabels, selectorOf, type RenderContext } from './context.ts';

type Json = Record<string, unknown>;

/** Where the agent finds `token`, `ca.crt`, `namespace` and `pod-name`. */
export const BUSY_TOKEN_DIR = '/var/run/secrets/berth.dev/busy';
/** Lifetime of the projected token (the API server's minimum; the kubelet renews it at 80 %). */
export const BUSY_TOKEN_SECONDS = 600;
const VOLUME = 'berth-busy-token';
/** The claim the API server adds to the user info of a token bound to a pod. */
const POD_NAME_CLAIM = 'authentication.kubernetes.io/pod-name';

/** Whether the component is a pool whose agents set their own busy annotation. */
export function hasBusyToken(c: Component): boolean {
  return c.kind === 'AgentPool' && c.spec.scaling.busyToken;
}

/** The projected token volume and its read-only mount in the agent container, when opted in. */
export function busyTokenVolume(c: Component): { mount: Json; volume: Json } | undefined {
  if (!hasBusyToken(c)) return undefined;
  return {
    mount: { name: VOLUME, mountPath: BUSY_TOKEN_DIR, readOnly: true },
    volume: {
      name: VOLUME,
      projected: {
        defaultMode: 0o444,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: BUSY_TOKEN_SECONDS } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [
                { path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } },
                { path: 'pod-name', fieldRef: { fieldPath: 'metadata.name' } },
              ],
            },
          },
        ],
      },
    },
  };
}

/** The Role and binding, the API-server egress, and the admission policy of an opted-in pool. */
export function busyObjects(ctx: RenderContext, c: Component): KubeObject[] {
  if (!hasBusyToken(c)) return [];
  const labels = componentLabels(ctx, c);
  const name = `${c.name}-busy`;
  const meta = { name, namespace: c.namespace, labels };
  const out: KubeObject[] = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      // Namespace-wide by necessity; the admission policy below narrows it to the agent's own pod.
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: c.name, namespace: c.namespace }],
    },
    ...admissionPolicy(ctx, c),
  ];
  // A pool with apiAccess already reaches the API server through its own NetworkPolicy.
  if (!c.spec.apiAccess) out.push(apiServerEgress(ctx, c));
  return out;
}

function apiServerEgress(ctx: RenderContext, c: Component): KubeObject {
  const cidrs = ctx.platform.network.apiServerCidrs;
  const to =
    cidrs.length > 0
      ? cidrs.map((cidr) => ({ ipBlock: { cidr } }))
      : [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: `${c.name}-busy-api`,
      namespace: c.namespace,
      labels: componentLabels(ctx, c),
    },
    spec: {
      podSelector: { matchLabels: selectorOf(ctx, c) },
      policyTypes: ['Egress'],
      egress: [
        {
          to,
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 6443 },
          ],
        },
      ],
    },
  };
}

/** `has(x) ? x : fallback`, for optional fields in CEL. */
const orElse = (x: string, fallback: string) => `(has(${x}) ? ${x} : ${fallback})`;

/** Optional metadata fields the agent must leave as they are (labels move a pod out of its ReplicaSet). */
const frozenMetadata = ['labels', 'finalizers', 'ownerReferences'] as const;

function admissionPolicy(ctx: RenderContext, c: Component): KubeObject[] {
  // Cluster-scoped: the platform and namespace keep two platforms' policies apart.
  const name = `${ctx.platformName}-${c.namespace}-${c.name}-busy`;
  const labels = componentLabels(ctx, c);
  const user = `system:serviceaccount:${c.namespace}:${c.name}`;
  const namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } };
  const validations: Json[] = [
    {
      expression: `variables.boundPod == [object.metadata.name]`,
      messageExpression: `'${c.name} agents may change only their own pod: this token is bound to ' + (size(variables.boundPod) == 0 ? 'no pod' : 'pod ' + variables.boundPod[0]) + ', not ' + object.metadata.name`,
      reason: 'Forbidden',
    },
    {
      expression:
        `variables.annotations.all(k, k == '${BUSY_ANNOTATION}' || (k in variables.oldAnnotations && variables.oldAnnotations[k] == variables.annotations[k])) && ` +
        `variables.oldAnnotations.all(k, k == '${BUSY_ANNOTATION}' || k in variables.annotations)`,
      message: `${c.name} agents may change only the ${BUSY_ANNOTATION} annotation of their pod`,
      reason: 'Forbidden',
    },
    {
      expression: `!('${BUSY_ANNOTATION}' in variables.annotations) || variables.annotations['${BUSY_ANNOTATION}'] in ['true', 'false']`,
      message: `${BUSY_ANNOTATION} is "true" or "false"`,
      reason: 'Invalid',
    },
    {
      expression: [
        'object.spec == oldObject.spec',
        ...frozenMetadata.map(
          (f) =>
            `${orElse(`object.metadata.${f}`, f === 'labels' ? '{}' : '[]')} == ${orElse(`oldObject.metadata.${f}`, f === 'labels' ? '{}' : '[]')}`,
        ),
      ].join(' && '),
      message: `${c.name} agents may not change their pod's spec, labels, finalizers or owners (only ${BUSY_ANNOTATION})`,
      reason: 'Forbidden',
    },
  ];
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          namespaceSelector,
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['UPDATE'],
              resources: ['pods'],
            },
          ],
        },
        matchConditions: [
          { name: 'pool-agents', expression: `request.userInfo.username == '${user}'` },
        ],
        variables: [
          {
            name: 'boundPod',
            expression: `has(request.userInfo.extra) && '${POD_NAME_CLAIM}' in request.userInfo.extra ? request.userInfo.extra['${POD_NAME_CLAIM}'] : []`,
          },
          { name: 'annotations', expression: orElse('object.metadata.annotations', '{}') },
          { name: 'oldAnnotations', expression: orElse('oldObject.metadata.annotations', '{}') },
        ],
        validations,
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector },
      },
    },
  ];
}
