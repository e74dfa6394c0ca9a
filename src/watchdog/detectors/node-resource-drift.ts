/**
 * Seed 003's `node-resource-drift`: node CPU or memory above the alarm (90%) for the whole
 * sustained window (10 min) from metrics.k8s.io samples, and node pressure conditions.
 * NotReady nodes are reported by cluster-health-check (one incident per node, not two).
 */
import type { ClusterState, Detector, DetectorOptions, Finding } from '../model.ts';
import { parseQuantity } from '../../model/quantity.ts';
import { conditionsOf, finding, humanDuration, list, recordAt } from './helpers.ts';

const id = 'node-resource-drift';
const pressure = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export const nodeResourceDrift: Detector = {
  id,
  severity: 'warning',
  description:
    'Nodes whose CPU or memory usage (metrics.k8s.io) stayed above the alarm (90% of allocatable) in every sample of the sustained window (10 min), and nodes with MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable True.',
  remediation:
    'Find the heaviest pods (`kubectl top pods -A --sort-by=cpu`), move or limit them, or add a node.',
  reads: ['Node', 'metrics'],
  trigger: 'metrics',
  detect(state, options) {
    const out: Finding[] = [];
    for (const node of list(state, 'Node')) {
      for (const c of conditionsOf(node)) {
        if (!pressure.includes(c.type) || c.status !== 'True') continue;
        out.push(
          finding(id, {
            severity: 'warning',
            object: node,
            reason: c.type,
            message: `node ${node.metadata.name} has ${c.type}`,
            evidence: [`${c.type}=True: ${c.message ?? c.reason ?? ''}`.trim()],
          }),
        );
      }
      out.push(...usage(state, options, node));
    }
    return out;
  },
};

function usage(
  state: ClusterState,
  options: DetectorOptions,
  node: Parameters<typeof finding>[1]['object'] & { metadata: { name: string } },
): Finding[] {
  const samples = (state.nodeUsage ?? []).filter(
    (s) => s.node === node.metadata.name && s.at >= state.now - options.sustainedMs,
  );
  const older = (state.nodeUsage ?? []).some(
    (s) => s.node === node.metadata.name && s.at <= state.now - options.sustainedMs,
  );
  if (samples.length === 0 || !older) return [];
  const allocatable = recordAt(node, 'status.allocatable');
  const out: Finding[] = [];
  for (const [resource, total] of [
    ['cpu', parseQuantity(allocatable?.cpu)],
    ['memory', parseQuantity(allocatable?.memory)],
  ] as const) {
    if (!total) continue;
    const percents = samples.map((s) => (100 * s[resource]) / total);
    const min = Math.min(...percents);
    if (min < options.nodeUsagePercent) continue;
    const reason = resource === 'cpu' ? 'CPUSaturated' : 'MemorySaturated';
    out.push(
      finding(id, {
        severity: 'warning',
        object: node,
        reason,
        message: `node ${node.metadata.name} ${resource} above ${options.nodeUsagePercent}% for ${humanDuration(options.sustainedMs)} (now ${percents.at(-1)?.toFixed(0)}%)`,
        evidence: [
          `${samples.length} samples, lowest ${min.toFixed(1)}%, latest ${percents.at(-1)?.toFixed(1)}% of allocatable`,
        ],
      }),
    );
  }
  return out;
}
