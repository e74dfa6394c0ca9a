/** Deployments past their progress deadline, or whose ReplicaSet cannot create pods. */
import type { Detector, Finding } from '../model.ts';
import { conditionsOf, finding, list, numberAt } from './helpers.ts';

const id = 'rollout-stuck';

export const rolloutStuck: Detector = {
  id,
  severity: 'critical',
  description:
    'Deployments whose Progressing condition is ProgressDeadlineExceeded, or with ReplicaFailure True (quota, Pod Security, admission webhooks refusing pods), with updated/ready counts.',
  remediation:
    'Roll back (`berth rollback` or `kubectl rollout undo`) or fix what keeps the new pods from becoming ready.',
  reads: ['apps/Deployment'],
  trigger: 'watch',
  detect(state) {
    const out: Finding[] = [];
    for (const d of list(state, 'apps/Deployment')) {
      for (const c of conditionsOf(d)) {
        const stuck = c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded';
        const refused = c.type === 'ReplicaFailure' && c.status === 'True';
        if (!stuck && !refused) continue;
        const reason = stuck ? 'ProgressDeadlineExceeded' : (c.reason ?? 'ReplicaFailure');
        out.push(
          finding(id, {
            severity: 'critical',
            object: d,
            reason,
            message: `Deployment ${d.metadata.namespace}/${d.metadata.name}: ${reason}${c.message ? `: ${c.message}` : ''}`,
            evidence: [
              `replicas ${numberAt(d, 'spec.replicas', 1)}, updated ${numberAt(d, 'status.updatedReplicas', 0)}, ready ${numberAt(d, 'status.readyReplicas', 0)}, available ${numberAt(d, 'status.availableReplicas', 0)}`,
              `${c.type}: ${c.message ?? c.reason ?? ''}`,
            ],
          }),
        );
      }
    }
    return out;
  },
};
