/** Pod logs for the in-memory server: lines per pod container, read whole or followed. */
import type { ObjectRef } from '../../model/object.ts';
import type { LogOptions } from '../api.ts';
import { NotFoundError } from '../errors.ts';

interface Follower {
  push(line: string): void;
  end(): void;
}

export class LogBook {
  private readonly lines = new Map<string, string[]>();
  private readonly followers = new Map<string, Set<Follower>>();

  private key(pod: { namespace?: string; name: string }, container: string | undefined): string {
    return `${pod.namespace ?? ''}/${pod.name}/${container ?? ''}`;
  }

  write(
    pod: { namespace?: string; name: string },
    container: string,
    lines: readonly string[],
  ): void {
    for (const c of [container, undefined]) {
      const key = this.key(pod, c);
      const list = this.lines.get(key) ?? [];
      list.push(...lines);
      this.lines.set(key, list);
      for (const f of this.followers.get(key) ?? []) for (const l of lines) f.push(l);
    }
  }

  read(pod: ObjectRef, options: LogOptions, exists: () => boolean): string[] {
    if (!exists())
      throw new NotFoundError(`pods "${pod.name}" not found`, { status: 404, ref: pod });
    if (options.previous) return [];
    const all = this.lines.get(this.key(pod, options.container)) ?? [];
    return options.tailLines === undefined ? [...all] : all.slice(-options.tailLines);
  }

  async *follow(pod: ObjectRef, options: LogOptions): AsyncGenerator<string> {
    const key = this.key(pod, options.container);
    const queue = this.read(pod, options, () => true);
    let ended = false;
    let wake: (() => void) | undefined;
    const follower: Follower = {
      push: (l) => {
        queue.push(l);
        wake?.();
      },
      end: () => {
        ended = true;
        wake?.();
      },
    };
    const set = this.followers.get(key) ?? new Set();
    set.add(follower);
    this.followers.set(key, set);
    const onAbort = (): void => follower.end();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      set.delete(follower);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  endAll(): void {
    for (const set of this.followers.values()) for (const f of [...set]) f.end();
  }
}
