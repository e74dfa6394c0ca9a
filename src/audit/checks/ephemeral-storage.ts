import type { Check } from '../engine/types.ts';
import { missingResources } from './shared/missing-resources.ts';

export const ephemeralStorage: Check = {
  id: 'ephemeral-storage',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'Init and app containers request and limit ephemeral-storage.',
  remediation:
    'Set resources.requests and resources.limits ephemeral-storage (logs, emptyDirs and the writable layer count against it).',
  docs: `Container logs, the writable layer and disk-backed emptyDirs fill the node's disk; when it is full
the kubelet evicts pods at random. Only kube-score checks this among the peers. Seed 001 adds
\`ephemeral-storage: 5Gi\` for the crawler. Not fixed automatically.`,
  run: (context) => missingResources(context, ['requests', 'limits'], ['ephemeral-storage']),
};
