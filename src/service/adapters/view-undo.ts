/**
 * The dashboard's undo button, in the cluster (ADR 0110). Any replica records the request
 * (`request`): it is appended to key `undo.json` of the ledger ConfigMap, as field manager
 * `berth-dashboard`, with a JSON-patch `test` of the resourceVersion it read (a lost race re-reads
 * and retries). Only the leader carries requests out (`process`): the policy decides again on
 * the fresh ledger (src/service/view-undo.ts), the recorded inverse is applied through the
 * acting (fenced) port, the ledger entry becomes `undone`, and the request `done`, `refused` or
 * `failed` with the reason. A leader that took the request itself processes it at once; a
 * standby waits a bounded time for the leader's poll, then lets the page refresh until it is
 * finished. Every call has a deadline.
 */
import { operationBounds, type KubeApi } from '../../kube/api.ts';
import { AlreadyExistsError, ConflictError, InvalidError } from '../../kube/errors.ts';
import { BerthError, ErrorCode } from '../../errors.ts';
import type { ObjectRef } from '../../model/object.ts';
import { KubeActuator, type Actuator } from '../../watchdog/adapters/actions.ts';
import { ConfigMapStore, ledgerConfigMap } from '../../watchdog/adapters/configmap-store.ts';
import { updateEntry } from '../../watchdog/policy/ledger.ts';
import type { LedgerEntry, Policy } from '../../watchdog/policy/types.ts';
import type { UndoHandler } from '../http.ts';
import {
  appendRequest,
  decideUndo,
  newRequestId,
  parseRequests,
  undoKey,
  updateRequest,
  type UndoRequest,
} from '../view-undo.ts';

/** Field manager of the undo requests (an actor of its own: the people using the dashboard). */
export const dashboardFieldManager = 'berth-dashboard';

/** The ledger as the undo sees it; in `berth serve` the leading engine's (it caches the ledger). */
export interface UndoLedger {
  load(): Promise<LedgerEntry[]>;
  /** Changes one entry through whatever keeps the ledger, so no cached copy overwrites it. */
  update(id: string, change: Partial<LedgerEntry>): Promise<void>;
}

export interface UndoServiceOptions {
  /** The raw port: reads, and recording requests (standbys record too). */
  kube: KubeApi;
  /** The port the leader acts through (the fenced one in `berth serve`). @default kube */
  actingKube?: KubeApi;
  /** Namespace of the ledger ConfigMap. */
  namespace: string;
  policy: Policy;
  /** This replica. */
  identity: string;
  /** Whether this replica may act now. */
  isLeader: () => boolean;
  /** @default KubeActuator over actingKube */
  actuator?: Actuator;
  /** @default the ledger ConfigMap through actingKube */
  ledger?: UndoLedger;
  /** How often a replica looks for requests to carry out (only the leader does). @default 2000 */
  pollMs?: number;
  /** How long `request` waits for the leader before answering. @default 8000 */
  waitMs?: number;
  /** Deadline of each API call. @default 10000 */
  timeoutMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class UndoService implements UndoHandler {
  private readonly ref: ObjectRef;
  private readonly acting: KubeApi;
  private readonly actuator: Actuator;
  private readonly ledger: UndoLedger;
  private timer: NodeJS.Timeout | undefined;
  private processing: Promise<number> = Promise.resolve(0);

  constructor(private readonly o: UndoServiceOptions) {
    this.ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: o.namespace,
      name: ledgerConfigMap,
    };
    this.acting = o.actingKube ?? o.kube;
    this.actuator = o.actuator ?? new KubeActuator(this.acting);
    this.ledger = o.ledger ?? configMapLedger(this.acting, o.namespace, this.timeoutMs);
  }

  private get timeoutMs(): number {
    return this.o.timeoutMs ?? 10_000;
  }

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Records the request; carries it out at once on the leader, else waits for the leader. */
  async request(entryId: string, user: string): Promise<{ id: string }> {
    let id = '';
    await this.modify((requests) => {
      id = newRequestId(this.now, requests);
      return appendRequest(requests, {
        id,
        entry: entryId,
        user,
        at: this.now,
        via: this.o.identity,
        status: 'pending',
      });
    }, this.o.kube);
    this.o.log?.(`undo ${id} of ${entryId} asked by ${user} via ${this.o.identity}`);
    if (this.o.isLeader()) await this.process();
    else await this.waitFinished(id);
    return { id };
  }

  /** The requests as stored (for the view). */
  async requests(): Promise<UndoRequest[]> {
    return (await this.read()).requests;
  }

  /** Carries out pending requests when this replica leads; returns how many it finished. */
  process(): Promise<number> {
    this.processing = this.processing
      .then(() => this.processOnce())
      .catch((error: unknown) => {
        this.o.log?.(`undo: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      });
    return this.processing;
  }

  /** Polls for requests (every replica; only the leader acts on them). */
  start(): void {
    this.timer ??= setInterval(() => {
      if (this.o.isLeader()) void this.process();
    }, this.o.pollMs ?? 2000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.processing;
  }

  private async processOnce(): Promise<number> {
    if (!this.o.isLeader()) return 0;
    const todo = (await this.read()).requests.filter(
      (r) => r.status === 'pending' || (r.status === 'running' && r.by !== this.o.identity),
    );
    let finished = 0;
    for (const r of todo) {
      if (!this.o.isLeader()) break;
      await this.carryOut(r);
      finished++;
    }
    return finished;
  }

  private async carryOut(r: UndoRequest): Promise<void> {
    const entries = await this.ledger.load();
    const { requests } = await this.read();
    const d = decideUndo({
      entryId: r.entry,
      entries,
      requests,
      policy: this.o.policy,
      now: this.now,
      requestId: r.id,
    });
    const finish = (change: Partial<UndoRequest>) =>
      this.modify(
        (rs) => updateRequest(rs, r.id, { ...change, by: this.o.identity, finishedAt: this.now }),
        this.acting,
      );
    // A request another leader left running may have been applied already: an entry it undid
    // is done, not refused.
    const previous = entries.find((e) => e.id === r.entry);
    if (r.status === 'running' && previous?.status === 'undone') {
      await finish({ status: 'done', result: previous.result ?? 'undone' });
      return;
    }
    if (d.type === 'refuse') {
      this.o.log?.(`undo ${r.id} of ${r.entry} refused: ${d.because}`);
      await finish({ status: 'refused', result: d.because });
      return;
    }
    await this.modify(
      (rs) => updateRequest(rs, r.id, { status: 'running', by: this.o.identity }),
      this.acting,
    );
    let result: string;
    try {
      result = await this.actuator.undo(d.entry).catch((error: unknown) => {
        // Recreating a Job that a previous leader already recreated.
        if (error instanceof AlreadyExistsError && d.entry.inverse.type === 'recreate')
          return `${d.entry.action.target.name} already exists`;
        throw error;
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.o.log?.(`undo ${r.id} of ${r.entry} failed: ${message}`);
      await finish({ status: 'failed', result: message });
      return;
    }
    const text = `undone from the dashboard by ${r.user} (${r.id}): ${result}`;
    await this.ledger.update(r.entry, { status: 'undone', result: text, finishedAt: this.now });
    this.o.log?.(`undo ${r.id} of ${r.entry}: ${result}`);
    await finish({ status: 'done', result: `${d.what}: ${result}` });
  }

  private async waitFinished(id: string): Promise<void> {
    const deadline = this.now + (this.o.waitMs ?? 8000);
    while (this.now < deadline) {
      await sleep(500);
      const r = (await this.read()).requests.find((x) => x.id === id);
      if (!r || (r.status !== 'pending' && r.status !== 'running')) return;
    }
  }

  private async read(): Promise<{ requests: UndoRequest[]; resourceVersion?: string }> {
    const cm = await this.o.kube.get(this.ref, operationBounds(this.timeoutMs));
    if (!cm) return { requests: [] };
    const text = (cm as { data?: Record<string, string> }).data?.[undoKey];
    return {
      requests: parseRequests(text, `ConfigMap ${this.o.namespace}/${ledgerConfigMap}`),
      resourceVersion: String(cm.metadata.resourceVersion),
    };
  }

  /** Read-modify-write of `undo.json` with a resourceVersion test; retries lost races. */
  private async modify(
    change: (requests: UndoRequest[]) => UndoRequest[],
    through: KubeApi,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { requests, resourceVersion } = await this.read();
      if (resourceVersion === undefined)
        throw new BerthError(
          ErrorCode.cluster,
          `ConfigMap ${this.o.namespace}/${ledgerConfigMap} does not exist: the watchdog has recorded no action to undo`,
        );
      try {
        await through.patch(
          this.ref,
          [
            { op: 'test', path: '/metadata/resourceVersion', value: resourceVersion },
            { op: 'add', path: `/data/${undoKey}`, value: JSON.stringify(change(requests)) },
          ],
          { fieldManager: dashboardFieldManager, type: 'json', ...operationBounds(this.timeoutMs) },
        );
        return;
      } catch (error) {
        const raced = error instanceof ConflictError || error instanceof InvalidError;
        if (!raced || attempt >= 8) throw error;
      }
    }
  }
}

/** The ledger ConfigMap as an `UndoLedger` (outside `berth serve`, or for tests). */
export function configMapLedger(kube: KubeApi, namespace: string, timeoutMs = 10_000): UndoLedger {
  const store = new ConfigMapStore<LedgerEntry[]>(
    kube,
    namespace,
    ledgerConfigMap,
    'entries.json',
    timeoutMs,
  );
  return {
    load: async () => (await store.load()) ?? [],
    update: async (id, change) => store.save(updateEntry((await store.load()) ?? [], id, change)),
  };
}

/** What `berth serve` wires: the undo handler for `startHttp({ undo })`, started and stopped with it. */
export function createUndoService(o: UndoServiceOptions): UndoService {
  return new UndoService(o);
}
