import { isRecord, mainContainers, stringList, type Container } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { isServing, nameOf, set } from './shared/describe.ts';

/** Seconds a preStop hook sleeps: `sleep: {seconds}` or an exec `sleep N`. */
export function preStopSeconds(container: Container): number {
  const preStop = container.lifecycle?.preStop;
  if (!isRecord(preStop)) return 0;
  const sleep = preStop.sleep;
  if (isRecord(sleep) && typeof sleep.seconds === 'number') return sleep.seconds;
  const command = stringList(isRecord(preStop.exec) ? preStop.exec.command : undefined).join(' ');
  const match = /\bsleep\s+(\d+)/.exec(command);
  return match ? Number(match[1]) : 0;
}

export const terminationGracePeriod: Check = {
  id: 'termination-grace-period',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary:
    'Serving pods set terminationGracePeriodSeconds, longer than their preStop sleep plus drain time.',
  remediation:
    'Set terminationGracePeriodSeconds to at least the preStop sleep plus the time to drain connections.',
  docs: `Kubernetes sends SIGTERM after the preStop hook and SIGKILL when the grace period ends, counted
from the start of the preStop hook. A preStop \`sleep 25\` with the default 30 s grace leaves
5 s to drain; \`sleep 30\` leaves none, and every rollout drops connections. The check requires
an explicit value (seed 002 adds \`terminationGracePeriodSeconds: 30\`) of at least the preStop
sleep plus the drain time (setting \`drainSeconds\`, default 5). The fix sets
max(30, preStop + drain). Jobs are not checked.`,
  run({ index, settings }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      if (!isServing(w)) continue;
      const grace = w.spec.terminationGracePeriodSeconds;
      const sleep = Math.max(0, ...mainContainers(w).map((c) => preStopSeconds(c.container)));
      const needed = sleep + settings.drainSeconds;
      if (typeof grace === 'number' && grace >= needed) continue;
      const message =
        typeof grace === 'number'
          ? `${nameOf(w.target)}: terminationGracePeriodSeconds ${grace} leaves no time to drain after a ${sleep}s preStop sleep (needs >= ${needed})`
          : `${nameOf(w.target)} does not set terminationGracePeriodSeconds`;
      out.push({
        target: w.target,
        path: [...w.specPath, 'terminationGracePeriodSeconds'],
        message,
        fix: {
          kind: 'object',
          description: `set terminationGracePeriodSeconds: ${Math.max(30, needed)}`,
          ops: [set([...w.specPath, 'terminationGracePeriodSeconds'], Math.max(30, needed))],
        },
      });
    }
    return out;
  },
};
