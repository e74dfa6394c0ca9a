/**
 * Runs kept in the cluster (ADR 0098): one ConfigMap per run, `berth-run-<id>`, in the
 * workflow's namespace. The engine owns `data.state` (field manager `berth-workflow`); `cancel`
 * and `approve.<step>` keys are written by `berth workflow cancel|approve` as another field
 * manager, so neither write strips the other's keys. The run's lease is the release lock of
 * src/release (a Lease that expires, so a crashed runner frees it).
 */
import type { KubeApi } from '../../kube/api.ts';
import type { KubeObject } from '../../model/object.ts';
import { acquireLock } from '../../release/adapters/lease.ts';
import type { RunControl, RunState } from '../model.ts';
import { summarize, type RunLease, type RunStore, type RunSummary } from '../store.ts';

export const WORKFLOW_MANAGER = 'berth-workflow';
export const CONTROL_MANAGER = 'berth-workflow-control';
const LABEL = 'berth.dev/workflow-run';
const CALL_MS = 15_000;

export function runConfigMapName(id: string): string {
  return `berth-run-${id}`;
}

export class KubeRunStore implements RunStore {
  private namespaceReady: Promise<void> | undefined;
  constructor(
    private readonly api: KubeApi,
    readonly namespace: string,
    private readonly now: () => number = Date.now,
  ) {}

  private bounds() {
    return { deadline: this.now() + CALL_MS };
  }

  private ref(id: string) {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: this.namespace,
      name: runConfigMapName(id),
    };
  }

  /** Runs are stored before any step has created the namespace: create it (restricted) when absent. */
  private ensureNamespace(): Promise<void> {
    this.namespaceReady ??= (async () => {
      const ref = { apiVersion: 'v1', kind: 'Namespace', name: this.namespace };
      if (await this.api.get(ref, this.bounds())) return;
      await this.api.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: this.namespace,
            labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
          },
        },
        { ...this.bounds(), fieldManager: WORKFLOW_MANAGER },
      );
    })().catch((error: unknown) => {
      this.namespaceReady = undefined;
      throw error;
    });
    return this.namespaceReady;
  }

  async save(run: RunState): Promise<void> {
    await this.ensureNamespace();
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: runConfigMapName(run.id),
        namespace: this.namespace,
        labels: {
          [LABEL]: 'true',
          'berth.dev/workflow': run.workflow.name.slice(0, 63),
          'app.kubernetes.io/managed-by': 'berth',
        },
        annotations: { 'berth.dev/phase': run.phase },
      },
      data: { state: JSON.stringify(run) },
    };
    await this.api.apply(obj, { ...this.bounds(), fieldManager: WORKFLOW_MANAGER, force: true });
  }

  async load(id: string): Promise<RunState | undefined> {
    const cm = await this.api.get(this.ref(id), this.bounds());
    const text = (cm?.data as Record<string, string> | undefined)?.state;
    return text === undefined ? undefined : (JSON.parse(text) as RunState);
  }

  async list(): Promise<RunSummary[]> {
    const { items } = await this.api.list(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace },
      { ...this.bounds(), labelSelector: `${LABEL}=true` },
    );
    const out: RunSummary[] = [];
    for (const cm of items) {
      const text = (cm.data as Record<string, string> | undefined)?.state;
      if (text !== undefined) out.push(summarize(JSON.parse(text) as RunState));
    }
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  async readControl(id: string): Promise<RunControl> {
    const cm = await this.api.get(this.ref(id), this.bounds());
    const data = (cm?.data as Record<string, string> | undefined) ?? {};
    const approvals: Record<string, string> = {};
    for (const [k, v] of Object.entries(data))
      if (k.startsWith('approve.')) approvals[k.slice('approve.'.length)] = v;
    return { cancel: data.cancel === 'true', approvals };
  }

  private async control(id: string, data: Record<string, string>): Promise<void> {
    const current = await this.api.get(this.ref(id), this.bounds());
    if (!current) throw new Error(`no run ${id} in namespace ${this.namespace}`);
    const own = Object.fromEntries(
      Object.entries((current.data as Record<string, string> | undefined) ?? {}).filter(
        ([k]) => k === 'cancel' || k.startsWith('approve.'),
      ),
    );
    await this.api.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: runConfigMapName(id), namespace: this.namespace },
        data: { ...own, ...data },
      },
      { ...this.bounds(), fieldManager: CONTROL_MANAGER, force: true },
    );
  }

  requestCancel(id: string): Promise<void> {
    return this.control(id, { cancel: 'true' });
  }

  approve(id: string, step: string, by: string): Promise<void> {
    return this.control(id, { [`approve.${step}`]: by });
  }

  async lock(id: string, holder: string, ttlMs: number): Promise<RunLease> {
    await this.ensureNamespace();
    const seconds = Math.max(5, Math.round(ttlMs / 1000));
    const held = await acquireLock(
      this.api,
      { name: `run-${id}`.slice(0, 53).replace(/-+$/, ''), namespace: this.namespace },
      {
        operation: 'workflow',
        // Long enough for the lease of a runner that crashed to expire and be taken over.
        deadline: this.now() + (seconds + 5) * 1000,
        leaseSeconds: seconds,
        identity: holder,
      },
    );
    return {
      renew: () =>
        held.lost() ? Promise.reject(new Error(`lost the lease of run ${id}`)) : Promise.resolve(),
      release: () => held.release(),
    };
  }
}
