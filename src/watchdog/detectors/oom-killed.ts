/**
 * OOMKilled containers that are running again (a crash-looping one is reported by
 * pod-restart-loop with the OOM as its last exit). Pods being deleted are ignored: a container
 * killed during scale-down is not a memory problem (the phantom OOMKilled of kubewatch#109).
 */
import type { Detector, Finding } from '../model.ts';
import {
  ageMs,
  containerStatuses,
  finding,
  list,
  numberAt,
  ownerOf,
  recordAt,
  stringAt,
} from './helpers.ts';

const id = 'oom-killed';

export const oomKilled: Detector = {
  id,
  severity: 'warning',
  description:
    'Containers whose last termination was OOMKilled within the last hour and that are not crash-looping, with the memory limit; pods being deleted are ignored.',
  remediation: 'Raise the container memory limit, or find what grows (heap, cache, batch size).',
  reads: ['Pod', 'apps/ReplicaSet', 'batch/Job'],
  trigger: 'watch',
  detect(state, options) {
    const out: Finding[] = [];
    for (const pod of list(state, 'Pod')) {
      if (pod.metadata.deletionTimestamp) continue;
      for (const cs of containerStatuses(pod)) {
        const last = recordAt(cs, 'lastState.terminated');
        if (!last || stringAt(last, 'reason') !== 'OOMKilled') continue;
        if (stringAt(cs, 'state.waiting.reason') === 'CrashLoopBackOff') continue;
        const age = ageMs(stringAt(last, 'finishedAt'), state.now);
        if (age === undefined || age > options.oomWindowMs) continue;
        const container = stringAt(cs, 'name') ?? '?';
        const spec = (
          pod as {
            spec?: {
              containers?: { name: string; resources?: { limits?: { memory?: string } } }[];
            };
          }
        ).spec;
        const limit = spec?.containers?.find((c) => c.name === container)?.resources?.limits
          ?.memory;
        out.push(
          finding(id, {
            severity: 'warning',
            object: pod,
            reason: 'OOMKilled',
            message: `pod ${pod.metadata.namespace}/${pod.metadata.name}: container ${container} was OOMKilled${limit ? ` (limit ${limit})` : ''}`,
            evidence: [
              `last exit OOMKilled (code ${numberAt(last, 'exitCode', 137)})`,
              `${numberAt(cs, 'restartCount', 0)} restart(s)`,
              `memory limit ${limit ?? 'none'}`,
            ],
            owner: ownerOf(state, pod),
            node: stringAt(pod, 'spec.nodeName'),
            termination: {
              container,
              reason: 'OOMKilled',
              exitCode: numberAt(last, 'exitCode', 137),
            },
          }),
        );
        break;
      }
    }
    return out;
  },
};
