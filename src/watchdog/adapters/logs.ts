/**
 * Log tails of crash-looping containers (the previous run's last lines, at most 8 KiB), for the
 * transient-cause classifier and the message excerpt. Untrusted text: only matched against fixed
 * patterns and shown fenced. Cached per restart so a pass never fetches the same tail twice.
 */
import type { ClusterState } from '../model.ts';
import { containerStatuses } from '../detectors/helpers.ts';

/** Reads `GET /api/v1/namespaces/{ns}/pods/{pod}/log`; undefined when there is no log. */
export type LogReader = (
  namespace: string,
  pod: string,
  container: string,
  signal: AbortSignal,
) => Promise<string | undefined>;

const maxFetchesPerPass = 10;

export class LogTails {
  private readonly cache = new Map<string, string>();
  constructor(private readonly read: LogReader) {}

  /** Fetches the tails the state needs (bounded per pass, 5 s each) and returns them all. */
  async tailsFor(objects: ClusterState['objects']): Promise<Record<string, string>> {
    const wanted: [string, string, string, string][] = [];
    for (const pod of objects.Pod ?? []) {
      for (const cs of containerStatuses(pod)) {
        const waiting = (cs.state as { waiting?: { reason?: string } } | undefined)?.waiting
          ?.reason;
        if (waiting !== 'CrashLoopBackOff') continue;
        const ns = pod.metadata.namespace ?? '';
        const key = `${ns}/${pod.metadata.name}/${String(cs.name)}#${String(cs.restartCount)}`;
        if (!this.cache.has(key)) wanted.push([key, ns, pod.metadata.name, String(cs.name)]);
      }
    }
    await Promise.all(
      wanted.slice(0, maxFetchesPerPass).map(async ([key, ns, pod, container]) => {
        const text = await this.read(ns, pod, container, AbortSignal.timeout(5000)).catch(
          () => undefined,
        );
        this.cache.set(key, text ?? '');
      }),
    );
    const out: Record<string, string> = {};
    for (const [key, text] of this.cache) if (text) out[key.slice(0, key.lastIndexOf('#'))] = text;
    if (this.cache.size > 2000) this.cache.clear();
    return out;
  }
}
