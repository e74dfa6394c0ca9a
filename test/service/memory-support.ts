// Shared by the tests that run `berth serve` on the in-memory port (serve-memory, injection-serve).
import type { KubeObject } from '../../src/model/object.ts';
import { until as poll } from '../support/until.ts';

/** A crash-looping pod of app `clovis` on node n1, as a kubelet would report it. */
export function crashingPod(name: string, namespace = 'bots'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'clovis' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'clovis:1' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 6,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ],
    },
  };
}

/** Polls `fn` every 50 ms until it returns a value, or fails after `ms`. */
export const until = <T>(what: string, fn: () => T | undefined, ms: number): Promise<T> =>
  poll(what, fn, ms, 50);
