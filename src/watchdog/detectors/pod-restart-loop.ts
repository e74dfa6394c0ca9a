/**
 * Seed 003's `pod-restart-loop`: containers waiting in CrashLoopBackOff or an image/config error,
 * with the last termination reason and exit code and the log tail, so the transient-cause
 * classifier (policy/transient.ts) can decide whether a restart may help.
 */
import type { Detector, Finding, Termination } from '../model.ts';
import {
  containerStatuses,
  finding,
  list,
  numberAt,
  ownerOf,
  recordAt,
  stringAt,
} from './helpers.ts';

const id = 'pod-restart-loop';

export const loopReasons = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InvalidImageName',
  'RunContainerError',
]);

export const podRestartLoop: Detector = {
  id,
  severity: 'critical',
  description:
    'Containers waiting in CrashLoopBackOff, ImagePullBackOff/ErrImagePull, CreateContainerConfigError, InvalidImageName or RunContainerError, with the restart count, the last termination reason and exit code, and the tail of the previous container log. Pods of one workload failing for the same reason are one finding fingerprint (one incident).',
  remediation:
    'Read the log excerpt and the last exit reason; fix the image, config or secret, or restart the workload if the cause was transient.',
  reads: ['Pod', 'apps/ReplicaSet', 'batch/Job'],
  trigger: 'watch',
  detect(state) {
    const out: Finding[] = [];
    for (const pod of list(state, 'Pod')) {
      if (pod.metadata.deletionTimestamp) continue;
      for (const cs of containerStatuses(pod)) {
        const waiting = recordAt(cs, 'state.waiting');
        const reason = waiting ? stringAt(waiting, 'reason') : undefined;
        if (!reason || !loopReasons.has(reason)) continue;
        const container = stringAt(cs, 'name') ?? '?';
        const last = recordAt(cs, 'lastState.terminated');
        const termination: Termination | undefined = last
          ? {
              container,
              reason: stringAt(last, 'reason') ?? 'Error',
              exitCode: numberAt(last, 'exitCode', -1),
            }
          : undefined;
        const restarts = numberAt(cs, 'restartCount', 0);
        const ns = pod.metadata.namespace ?? '';
        const evidence = [
          `container ${container}: ${reason}${waiting && stringAt(waiting, 'message') ? `: ${stringAt(waiting, 'message')}` : ''}`,
          `${restarts} restart(s)`,
        ];
        if (termination)
          evidence.push(`last exit: ${termination.reason} (code ${termination.exitCode})`);
        out.push(
          finding(id, {
            severity: 'critical',
            object: pod,
            reason,
            message: `pod ${ns}/${pod.metadata.name}: container ${container} is in ${reason}${termination ? `, last exit ${termination.reason} (code ${termination.exitCode})` : ''}`,
            evidence,
            owner: ownerOf(state, pod),
            node: stringAt(pod, 'spec.nodeName'),
            excerpt: state.logTails?.[`${ns}/${pod.metadata.name}/${container}`],
            termination,
          }),
        );
        break;
      }
    }
    return out;
  },
};
