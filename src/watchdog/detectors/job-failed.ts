/**
 * Failed Jobs (BackoffLimitExceeded, DeadlineExceeded...) and, through them, CronJobs: the failed
 * runs of one CronJob are one incident (the fingerprint is over the CronJob).
 */
import type { Detector, Finding } from '../model.ts';
import { conditionOf, finding, list, numberAt, ownerOf } from './helpers.ts';

const id = 'job-failed';

export const jobFailed: Detector = {
  id,
  severity: 'warning',
  description:
    "Jobs whose Failed condition is True, with its reason and the failed pod count; a CronJob's failed runs share one fingerprint. Suspended CronJobs are not reported.",
  remediation:
    'Read the failed pod logs (`kubectl logs job/<name>`), fix the cause, then delete the Job or let the CronJob run again.',
  reads: ['batch/Job', 'batch/CronJob'],
  trigger: 'watch',
  detect(state) {
    const out: Finding[] = [];
    for (const job of list(state, 'batch/Job')) {
      const failed = conditionOf(job, 'Failed');
      if (failed?.status !== 'True') continue;
      const owner = ownerOf(state, job);
      const cron = owner?.kind === 'CronJob' ? ` (CronJob ${owner.name})` : '';
      out.push(
        finding(id, {
          severity: 'warning',
          object: job,
          reason: failed.reason ?? 'JobFailed',
          message: `Job ${job.metadata.namespace}/${job.metadata.name}${cron} failed: ${failed.reason ?? ''}${failed.message ? `: ${failed.message}` : ''}`,
          evidence: [
            `${failed.reason ?? 'Failed'}: ${failed.message ?? ''}`.trim(),
            `${numberAt(job, 'status.failed', 0)} failed pod(s)`,
          ],
          owner,
        }),
      );
    }
    return out;
  },
};
