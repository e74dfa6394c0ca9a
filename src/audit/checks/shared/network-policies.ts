/** Which NetworkPolicies select a workload, and what their egress rules allow. */
import { isEverything } from '../../../model/selector.ts';
import {
  objectsOfKind,
  podSelectorOf,
  selectWorkloads,
  type AuditIndex,
} from '../../engine/index-objects.ts';
import { get, isRecord, stringList, type Workload } from '../../engine/pods.ts';
import type { LocatedObject } from '../../engine/types.ts';

export interface PolicyView {
  policy: LocatedObject;
  types: string[];
  /** An empty podSelector with no ingress/egress rules for its types: a default deny. */
  denyAll: boolean;
}

export function policyTypes(policy: LocatedObject): string[] {
  const declared = stringList(get(policy.object, ['spec', 'policyTypes']));
  if (declared.length > 0) return declared;
  return get(policy.object, ['spec', 'egress']) !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

const memo = new WeakMap<AuditIndex, Map<Workload, PolicyView[]>>();

/** workload → the policies that select it, for every workload of the input (computed once per audit). */
export function policiesByWorkload(index: AuditIndex): Map<Workload, PolicyView[]> {
  const cached = memo.get(index);
  if (cached) return cached;
  const map = new Map<Workload, PolicyView[]>();
  memo.set(index, map);
  for (const [namespace, bucket] of index.buckets) {
    for (const policy of bucket.byKind.get('NetworkPolicy') ?? []) {
      const selector = podSelectorOf(policy);
      if (!selector) continue;
      const types = policyTypes(policy);
      const view: PolicyView = { policy, types, denyAll: isDenyAll(policy, types) };
      for (const w of selectWorkloads(index, namespace, selector)) {
        const list = map.get(w) ?? [];
        list.push(view);
        map.set(w, list);
      }
    }
  }
  return map;
}

function isDenyAll(policy: LocatedObject, types: string[]): boolean {
  const selector = podSelectorOf(policy);
  if (!selector || !isEverything(selector)) return false;
  const rules = (key: string): number => {
    const v = get(policy.object, ['spec', key]);
    return Array.isArray(v) ? v.length : 0;
  };
  return (
    types.includes('Ingress') &&
    types.includes('Egress') &&
    rules('ingress') === 0 &&
    rules('egress') === 0
  );
}

/** Whether the egress rules of `policies` let a pod reach port 53 over `protocol`. */
export function allowsDns(policies: readonly PolicyView[], protocol: 'UDP' | 'TCP'): boolean {
  for (const view of policies) {
    if (!view.types.includes('Egress')) continue;
    const egress = get(view.policy.object, ['spec', 'egress']);
    if (!Array.isArray(egress)) continue;
    for (const rule of egress) {
      if (!isRecord(rule)) continue;
      const ports = rule.ports;
      if (!Array.isArray(ports) || ports.length === 0) return true;
      for (const p of ports) {
        if (!isRecord(p)) continue;
        const proto = typeof p.protocol === 'string' ? p.protocol : 'TCP';
        const port = p.port;
        const end = typeof p.endPort === 'number' ? p.endPort : undefined;
        const matchesPort =
          port === undefined ||
          port === 53 ||
          port === '53' ||
          port === 'dns' ||
          port === 'dns-tcp' ||
          (typeof port === 'number' && end !== undefined && port <= 53 && 53 <= end);
        if (proto === protocol && matchesPort) return true;
      }
    }
  }
  return false;
}

export function namespacesWithWorkloads(index: AuditIndex): Map<string, Workload[]> {
  const map = new Map<string, Workload[]>();
  for (const [ns, bucket] of index.buckets)
    if (bucket.workloads.length > 0) map.set(ns, bucket.workloads);
  return map;
}

export function policiesIn(index: AuditIndex, namespace: string): LocatedObject[] {
  return objectsOfKind(index, namespace, 'NetworkPolicy');
}

export function defaultDenyPolicy(namespace: string) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

export function allowDnsPolicy(namespace: string) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-dns', namespace },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
  };
}
