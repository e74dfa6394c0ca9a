import { checkReadiness, readinessParams, type ReadinessParams } from './readiness.ts';
import { defineTask } from './types.ts';

export const healthCheckTask = defineTask<ReadinessParams>({
  id: 'health-check',
  summary: 'Checks that components (all by default) are healthy, with the reasons when not.',
  docs: 'Seed `health-check` with `services: all` maps here (components empty = all). Same engine as `wait` with a shorter default deadline; pair it with `onFailure: rollback`. Outputs: `ready`, `reasons`.',
  params: readinessParams,
  outputs: ['ready', 'reasons'],
  idempotent: true,
  defaultTimeout: '2m',
  run: (p, ctx) => checkReadiness('health-check', p, ctx),
});
