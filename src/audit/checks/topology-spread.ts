import { isRecord } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { hpasByTarget, minReplicas } from './shared/scalers.ts';

export const topologySpread: Check = {
  id: 'topology-spread',
  severity: 'info',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary:
    'Workloads with two or more replicas spread them (topologySpreadConstraints or pod anti-affinity).',
  remediation:
    'Add a topologySpreadConstraint on kubernetes.io/hostname (and topology.kubernetes.io/zone where there are zones).',
  docs: `Replicas the scheduler is free to pack onto one node all go down with it, and the PDB then
protects nothing. kube-linter (\`no-anti-affinity\`), kube-score (\`*-has-host-podantiaffinity\`) and
Polaris (\`topologySpreadConstraint\`) check this; berth reports it as info, because a single-node
or single-zone cluster cannot honour it. The replica count includes the HPA's or ScaledObject's
minimum. Not fixed automatically: the topology keys depend on the cluster.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const hpas = hpasByTarget(index);
    for (const w of index.workloads) {
      const replicas = minReplicas(hpas, w);
      if (replicas === undefined || replicas < 2) continue;
      const spread = w.spec.topologySpreadConstraints;
      const anti = isRecord(w.spec.affinity) ? w.spec.affinity.podAntiAffinity : undefined;
      if ((Array.isArray(spread) && spread.length > 0) || isRecord(anti)) continue;
      out.push({
        target: w.target,
        path: w.specPath,
        message: `${nameOf(w.target)} runs ${replicas} replicas with nothing spreading them across nodes`,
      });
    }
    return out;
  },
};
