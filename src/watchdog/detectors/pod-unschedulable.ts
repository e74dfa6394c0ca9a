/** Pods the scheduler cannot place, with its reason ("0/5 nodes are available: 5 Insufficient cpu"). */
import type { Detector, Finding } from '../model.ts';
import { ageMs, conditionOf, finding, list, ownerOf } from './helpers.ts';

const id = 'pod-unschedulable';

export const podUnschedulable: Detector = {
  id,
  severity: 'warning',
  description:
    "Pods whose PodScheduled condition is False (Unschedulable or SchedulingGated) for longer than the grace (2 min), with the scheduler's message as evidence.",
  remediation:
    "Read the scheduler's reason: add capacity, relax requests, affinity or node selectors, or add a toleration.",
  reads: ['Pod', 'apps/ReplicaSet', 'batch/Job'],
  trigger: 'watch',
  detect(state, options) {
    const out: Finding[] = [];
    for (const pod of list(state, 'Pod')) {
      const scheduled = conditionOf(pod, 'PodScheduled');
      if (!scheduled || scheduled.status !== 'False' || pod.metadata.deletionTimestamp) continue;
      const since = (
        pod as { status?: { conditions?: { type: string; lastTransitionTime?: string }[] } }
      ).status?.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime;
      const age = ageMs(since ?? pod.metadata.creationTimestamp, state.now);
      if (age !== undefined && age < options.unschedulableGraceMs) continue;
      const reason = scheduled.reason ?? 'Unschedulable';
      out.push(
        finding(id, {
          severity: 'warning',
          object: pod,
          reason,
          message: `pod ${pod.metadata.namespace}/${pod.metadata.name} cannot be scheduled: ${scheduled.message ?? reason}`,
          evidence: [`${reason}: ${scheduled.message ?? 'no message'}`],
          owner: ownerOf(state, pod),
        }),
      );
    }
    return out;
  },
};
