import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const cronjobStartingDeadline: Check = {
  id: 'cronjob-starting-deadline',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'CronJobs set startingDeadlineSeconds (at least 10 seconds).',
  remediation:
    'Set spec.startingDeadlineSeconds to how late a run may still start (for example 300).',
  docs: `Without a deadline, a CronJob whose controller was down counts every missed schedule since its
last run, and after 100 misses stops scheduling altogether ("too many missed start times"); with
one, only misses within the deadline count and late runs are skipped, not piled up. Below 10
seconds the controller's 10-second sync may never start the job. Not fixed automatically: how late
a run is still useful depends on the job.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const { target: cj } of index.workloads.filter(
      (w) => w.target.object.kind === 'CronJob',
    )) {
      const deadline = get(cj.object, ['spec', 'startingDeadlineSeconds']);
      if (typeof deadline === 'number' && deadline >= 10) continue;
      out.push({
        target: cj,
        path: ['spec', ...(deadline === undefined ? [] : ['startingDeadlineSeconds'])],
        message:
          deadline === undefined
            ? `${nameOf(cj)} has no startingDeadlineSeconds`
            : `${nameOf(cj)}: startingDeadlineSeconds ${JSON.stringify(deadline)} is below the controller's 10-second sync`,
      });
    }
    return out;
  },
};
