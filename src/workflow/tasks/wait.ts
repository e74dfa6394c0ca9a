import { checkReadiness, readinessParams, type ReadinessParams } from './readiness.ts';
import { defineTask } from './types.ts';

export const waitTask = defineTask<ReadinessParams>({
  id: 'wait',
  summary: 'Waits until components (or a release) are ready, up to the step timeout.',
  docs: "Readiness is berth's one readiness engine (kstatus-compatible, fails fast on CrashLoopBackOff and image pull errors). Outputs: `ready`, `reasons`.",
  params: readinessParams,
  outputs: ['ready', 'reasons'],
  idempotent: true,
  defaultTimeout: '10m',
  run: (p, ctx) => checkReadiness('wait', p, ctx),
});
