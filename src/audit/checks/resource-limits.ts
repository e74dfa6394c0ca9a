import type { Check } from '../engine/types.ts';
import { missingResources } from './shared/missing-resources.ts';

export const resourceLimits: Check = {
  id: 'resource-limits',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'Init and app containers set CPU and memory limits.',
  remediation:
    'Set resources.limits.memory (and cpu) so one runaway process cannot starve the node.',
  docs: `A memory leak without a limit takes the node down with it; seed 001's Chromium crawler is the
example (1.5 GiB peaks). Not fixed automatically.`,
  run: (context) => missingResources(context, ['limits'], ['cpu', 'memory']),
};
