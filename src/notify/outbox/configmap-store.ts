/**
 * The outbox in a ConfigMap, for the in-cluster service (state in the cluster, not on a volume).
 *
 * - Written as field manager `berth-watchdog`.
 * - Optimistic concurrency: every save reads the ConfigMap, replays this writer's changes since
 *   its last load or save onto what is stored (`mergeOutbox`), and writes with a JSON-patch
 *   `test` of the resourceVersion it read (create when absent). Another writer in between makes
 *   the write fail; the save re-reads and retries, so two writers never lose a message.
 * - Bounded: a ConfigMap holds at most 1 MiB. Over `maxBytes`, the oldest dead entries and
 *   remembered ids are dropped first; pending messages are never dropped — a save that still does
 *   not fit fails, naming the bound.
 */
import type { KubeApi } from '../../kube/api.ts';
import { FieldManager, operationBounds } from '../../kube/api.ts';
import { AlreadyExistsError, ConflictError, InvalidError } from '../../kube/errors.ts';
import type { ObjectRef } from '../../model/object.ts';
import { BerthError, ErrorCode } from '../../errors.ts';
import { mergeOutbox } from './merge.ts';
import { emptyOutbox, type OutboxState } from './state.ts';
import { parseOutbox, type OutboxStore } from './store.ts';

export const outboxConfigMap = 'berth-watchdog-outbox';
const key = 'outbox.json';

export interface ConfigMapOutboxOptions {
  namespace: string;
  /** @default 'berth-watchdog-outbox' */
  name?: string;
  /** Largest serialized outbox. @default 900 KiB (under the 1 MiB ConfigMap limit) */
  maxBytes?: number;
  /** Read-merge-write rounds before giving up. @default 8 */
  maxAttempts?: number;
  /** Deadline of each call. @default 15000 */
  timeoutMs?: number;
}

export class ConfigMapOutboxStore implements OutboxStore {
  readonly description: string;
  private readonly ref: ObjectRef;
  private readonly maxBytes: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  /** This writer's view: what it last loaded or saved. Its changes are `save(x)` minus this. */
  private base: OutboxState = emptyOutbox();
  /** Write conflicts met (for tests and metrics). */
  conflicts = 0;

  constructor(
    private readonly kube: KubeApi,
    options: ConfigMapOutboxOptions,
  ) {
    const name = options.name ?? outboxConfigMap;
    this.ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: options.namespace, name };
    this.description = `ConfigMap ${options.namespace}/${name}`;
    this.maxBytes = options.maxBytes ?? 900 * 1024;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async load(): Promise<OutboxState | undefined> {
    const { state } = await this.read();
    this.base = state ?? emptyOutbox();
    return state;
  }

  async save(state: OutboxState): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { state: stored, resourceVersion } = await this.read();
      const merged = this.bound(mergeOutbox(this.base, state, stored ?? emptyOutbox()));
      try {
        await this.write(merged, resourceVersion);
        this.base = state;
        return;
      } catch (error) {
        if (!(await this.lostRace(error, resourceVersion)) || attempt >= this.maxAttempts)
          throw error;
        this.conflicts++;
      }
    }
  }

  private async read(): Promise<{ state?: OutboxState; resourceVersion?: string }> {
    const cm = await this.kube.get(this.ref, operationBounds(this.timeoutMs));
    if (!cm) return {};
    const text = (cm as { data?: Record<string, string> }).data?.[key];
    const resourceVersion = String(cm.metadata.resourceVersion);
    return text === undefined
      ? { resourceVersion }
      : { state: parseOutbox(text, this.description), resourceVersion };
  }

  private async write(state: OutboxState, resourceVersion: string | undefined): Promise<void> {
    const text = JSON.stringify(state);
    const bounds = { fieldManager: FieldManager.watchdog, ...operationBounds(this.timeoutMs) };
    if (resourceVersion === undefined) {
      await this.kube.create(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: this.ref.name,
            namespace: this.ref.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'berth-watchdog' },
          },
          data: { [key]: text },
        },
        bounds,
      );
      return;
    }
    await this.kube.patch(
      this.ref,
      [
        { op: 'test', path: '/metadata/resourceVersion', value: resourceVersion },
        { op: 'add', path: '/data', value: { [key]: text } },
      ],
      { ...bounds, type: 'json' },
    );
  }

  /** Whether a failed write lost a race (the object was created or changed in between). */
  private async lostRace(error: unknown, resourceVersion: string | undefined): Promise<boolean> {
    if (error instanceof AlreadyExistsError || error instanceof ConflictError) return true;
    if (!(error instanceof InvalidError) || resourceVersion === undefined) return false;
    // A failed `test` is 422 Invalid; it was a race only if the version really moved.
    const now = await this.kube.get(this.ref, operationBounds(this.timeoutMs));
    return now?.metadata.resourceVersion !== resourceVersion;
  }

  /** Drops the oldest dead entries, then remembered ids, until the state fits. */
  private bound(state: OutboxState): OutboxState {
    const size = (s: OutboxState): number => Buffer.byteLength(JSON.stringify(s));
    let s = state;
    while (size(s) > this.maxBytes && s.dead.length > 0) s = { ...s, dead: s.dead.slice(1) };
    while (size(s) > this.maxBytes && s.recent.length > 0)
      s = { ...s, recent: s.recent.slice(Math.ceil(s.recent.length / 2)) };
    if (size(s) > this.maxBytes)
      throw new BerthError(
        ErrorCode.internal,
        `${this.description}: ${s.pending.length} undelivered message(s) exceed the outbox bound (${this.maxBytes} bytes); the save was refused (nothing written)`,
      );
    return s;
  }
}
