/**
 * Pod log tails through the Kubernetes port (`KubeApi.podLogs`, `pods/log`): the previous
 * (crashed) run's last 40 lines, cut at 8 KiB, with the caller's deadline. Read-only; the same
 * connection, credentials and timeouts as every other watchdog call (no transport of its own).
 */
import type { KubeApi } from '../../kube/api.ts';
import { NotFoundError } from '../../kube/errors.ts';
import type { LogReader } from './logs.ts';

export const tailLines = 40;
export const tailBytes = 8192;

export function portLogReader(kube: KubeApi, timeoutMs = 5000): LogReader {
  return async (namespace, pod, container, signal) => {
    try {
      const text = await kube.podLogs(
        { apiVersion: 'v1', kind: 'Pod', namespace, name: pod },
        {
          container,
          previous: true,
          tailLines,
          limitBytes: tailBytes,
          signal,
          deadline: Date.now() + timeoutMs,
        },
      );
      return text ? text.slice(0, tailBytes) : undefined;
    } catch (error) {
      // No previous run (400) or the pod is gone: no tail, not a failure of the pass.
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
}
