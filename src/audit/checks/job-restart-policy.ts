import { isRecord } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const jobRestartPolicy: Check = {
  id: 'job-restart-policy',
  severity: 'error',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary:
    'Jobs and CronJobs set restartPolicy OnFailure or Never (the pod default, Always, is refused).',
  remediation: 'Set restartPolicy: OnFailure (or Never) in the Job pod template.',
  docs: `A Job's pods must not restart forever: the API server refuses \`restartPolicy: Always\`, which is
also the default when the field is absent, so a Job template without it is rejected at apply time
(the OpenAPI schema allows all three values; this is the API server's own validation). The fix
sets \`OnFailure\`, also over an explicit \`Always\` (which the API server refuses anyway).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const kind = w.target.object.kind;
      if (kind !== 'Job' && kind !== 'CronJob') continue;
      const policy = isRecord(w.spec) ? w.spec.restartPolicy : undefined;
      if (policy === 'OnFailure' || policy === 'Never') continue;
      const path = [...w.specPath, 'restartPolicy'];
      const finding: RawFinding = {
        target: w.target,
        path,
        message:
          policy === undefined
            ? `${nameOf(w.target)} has no restartPolicy (the default, Always, is refused for Jobs)`
            : `${nameOf(w.target)} sets restartPolicy ${JSON.stringify(policy)}; Jobs need OnFailure or Never`,
      };
      finding.fix = {
        kind: 'object',
        description: 'set restartPolicy: OnFailure',
        ops: [{ op: 'set', path, value: 'OnFailure' }],
      };
      out.push(finding);
    }
    return out;
  },
};
