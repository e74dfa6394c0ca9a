import type { Check } from '../engine/types.ts';
import { missingResources } from './shared/missing-resources.ts';

export const resourceRequests: Check = {
  id: 'resource-requests',
  severity: 'error',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'Init and app containers request CPU and memory.',
  remediation: 'Set resources.requests.cpu and resources.requests.memory from the observed usage.',
  docs: `Without requests the scheduler packs pods blindly and the pod is first to be evicted
(BestEffort). Not fixed automatically: berth cannot know how much your process needs.`,
  run: (context) => missingResources(context, ['requests'], ['cpu', 'memory']),
};
