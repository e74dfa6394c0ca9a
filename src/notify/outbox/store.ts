/**
 * Where the outbox keeps its state between restarts. The CLI uses a JSON file; the in-cluster
 * service can keep it in a ConfigMap (any object with `load` and `save`).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../files/atomic.ts';
import { BerthError, ErrorCode } from '../../errors.ts';
import type { OutboxState } from './state.ts';

export interface OutboxStore {
  /** The saved state, or undefined when nothing was saved yet. */
  load(): Promise<OutboxState | undefined>;
  save(state: OutboxState): Promise<void>;
  /** Where it lives, for messages: `file /var/lib/berth/outbox.json`. */
  readonly description: string;
}

export class MemoryOutboxStore implements OutboxStore {
  readonly description = 'memory';
  private saved: string | undefined;
  saves = 0;
  load(): Promise<OutboxState | undefined> {
    return Promise.resolve(
      this.saved === undefined ? undefined : (JSON.parse(this.saved) as OutboxState),
    );
  }
  save(state: OutboxState): Promise<void> {
    this.saved = JSON.stringify(state);
    this.saves++;
    return Promise.resolve();
  }
}

export class FileOutboxStore implements OutboxStore {
  readonly description: string;
  constructor(private readonly path: string) {
    this.description = `file ${path}`;
  }

  async load(): Promise<OutboxState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseOutbox(text, this.description);
  }

  save(state: OutboxState): Promise<void> {
    return writeFileAtomic(this.path, `${JSON.stringify(state)}\n`);
  }
}

/** Parses saved outbox JSON, failing with the place when it is not an outbox. */
export function parseOutbox(text: string, where: string): OutboxState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BerthError(
      ErrorCode.invalidInput,
      `the outbox in ${where} is not JSON; move it aside to start empty`,
      {
        cause: error,
      },
    );
  }
  const v = value as Partial<OutboxState>;
  if (
    v.version !== 1 ||
    !Array.isArray(v.pending) ||
    !Array.isArray(v.dead) ||
    !Array.isArray(v.recent)
  )
    throw new BerthError(
      ErrorCode.invalidInput,
      `the outbox in ${where} has an unknown shape (version ${String(v.version)})`,
    );
  return { ...(v as OutboxState), delivered: v.delivered ?? 0 };
}
