// What a new leader finishes from the state in the cluster (ADR 0105), as a table: an incident
// whose message was queued is left alone; one never queued without an action is opened again;
// one whose action is in the ledger is not acted on again: a pending entry is verified and its
// result queued under the stable id, a finished one only reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Notification } from '../../src/notify/types.ts';
import {
  finishPending,
  LedgerOverlay,
  recoverLeadership,
} from '../../src/service/adapters/recover.ts';
import { queuedIds, stableId, StateTap } from '../../src/service/adapters/stable-ids.ts';
import { MemoryJsonStore } from '../../src/watchdog/adapters/configmap-store.ts';
import type { LedgerEntry } from '../../src/watchdog/policy/types.ts';
import type { OpenIncident, TrackerState } from '../../src/watchdog/tracker.ts';

const t0 = 1_700_000_000_000;
const open: OpenIncident = {
  fingerprint: 'pod-restart-loop/bots/clovis',
  title: 'CrashLoopBackOff: Deployment bots/clovis',
  severity: 'critical',
  firstSeen: t0,
  lastSeen: t0,
  lastNotified: t0,
  notifications: 1,
};
const entry = (status: LedgerEntry['status']): LedgerEntry => ({
  id: 'wd-1',
  at: t0 + 10,
  fingerprint: open.fingerprint,
  incident: open.title,
  action: {
    action: 'rollout-restart',
    target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'clovis' },
    command: 'kubectl rollout restart deployment/clovis -n bots',
  },
  inverse: { type: 'none', why: 'test' },
  status,
  ...(status === 'pending' ? {} : { result: 'ready', finishedAt: t0 + 20 }),
});

interface Case {
  name: string;
  queued: string[];
  ledger: LedgerEntry[];
  expect: { reopened: number; finished: number; verifies: number; ledgerStatus?: string };
}

const cases: Case[] = [
  {
    name: 'message queued by the previous leader: nothing to do',
    queued: [`discord:abc|${stableId(open, 'firing')}`],
    ledger: [entry('pending')],
    expect: { reopened: 0, finished: 0, verifies: 0, ledgerStatus: 'pending' },
  },
  {
    name: 'never queued, no action: opened again (the engine notifies)',
    queued: [],
    ledger: [],
    expect: { reopened: 1, finished: 0, verifies: 0 },
  },
  {
    name: 'never queued, action pending: verified now, not done again',
    queued: [],
    ledger: [entry('pending')],
    expect: { reopened: 0, finished: 1, verifies: 1, ledgerStatus: 'verified' },
  },
  {
    name: 'never queued, action finished: its result is queued',
    queued: [`discord:abc|${open.fingerprint}:firing:${t0 - 5}:1`],
    ledger: [entry('failed')],
    expect: { reopened: 0, finished: 1, verifies: 0, ledgerStatus: 'failed' },
  },
  {
    name: 'a dry-run entry is no action',
    queued: [],
    ledger: [entry('dry-run')],
    expect: { reopened: 1, finished: 0, verifies: 0, ledgerStatus: 'dry-run' },
  },
];

for (const c of cases)
  test(`recover: ${c.name}`, async () => {
    const state = new MemoryJsonStore<TrackerState>();
    await state.save({ open: { [open.fingerprint]: open } });
    const store = new MemoryJsonStore<LedgerEntry[]>();
    await store.save(c.ledger);
    const sent: Notification[] = [];
    let verifies = 0;
    const notify = (n: Notification) => {
      sent.push(n);
      return Promise.resolve(1);
    };
    const r = await recoverLeadership({
      state,
      ledger: store,
      queued: queuedIds(c.queued),
      notify,
      now: () => t0 + 60_000,
      log: () => undefined,
    });
    // The engine's ledger goes through the overlay; the pending entries are verified beside it.
    const overlay = new LedgerOverlay(store);
    const engineCopy = (await overlay.load()) ?? [];
    for (const p of r.pending)
      await finishPending(p, {
        actuator: {
          verify: () => {
            verifies++;
            return Promise.resolve({ ok: true, reason: 'ready' });
          },
        },
        ledger: overlay,
        notify,
        verifyTimeoutMs: 1_000,
        now: () => t0 + 61_000,
      });
    // The engine saves its stale copy (plus a new entry): the verdict survives.
    await overlay.save([...engineCopy, { ...entry('verified'), id: 'wd-2' }]);
    assert.equal(r.reopened.length, c.expect.reopened);
    assert.equal(r.finished.length + r.pending.length, c.expect.finished);
    assert.equal(verifies, c.expect.verifies);
    assert.equal(sent.length, c.expect.finished);
    for (const n of sent)
      assert.match(n.id, new RegExp(`^${open.fingerprint}:(firing|escalation):${t0}:1$`));
    const after = await state.load();
    assert.equal(after?.open[open.fingerprint] === undefined, c.expect.reopened === 1);
    const ledger = (await store.load()) ?? [];
    if (c.expect.ledgerStatus) assert.equal(ledger[0]?.status, c.expect.ledgerStatus);
    assert.equal(ledger.at(-1)?.id, 'wd-2');
  });

test('stable ids: two leaders compute the same id for the same opening, a new opening differs', async () => {
  const a = new StateTap(new MemoryJsonStore<TrackerState>());
  const b = new StateTap(new MemoryJsonStore<TrackerState>());
  await a.save({ open: { [open.fingerprint]: open } });
  await b.save({ open: { [open.fingerprint]: open } });
  const n: Notification = {
    id: 'x:firing:17',
    thread: open.fingerprint,
    status: 'firing',
    severity: 'critical',
    title: open.title,
    text: '',
    source: 'berth watchdog',
    at: new Date(t0).toISOString(),
  };
  assert.equal(a.withStableId(n).id, b.withStableId({ ...n, id: 'x:firing:99' }).id);
  // Resolved: the incident left the state; the id still names this opening.
  await a.save({ open: {} });
  assert.equal(a.withStableId({ ...n, status: 'resolved' }).id, stableId(open, 'resolved'));
  await a.save({ open: { [open.fingerprint]: { ...open, firstSeen: t0 + 999 } } });
  assert.notEqual(a.withStableId(n).id, b.withStableId(n).id);
  // Not about an incident: unchanged.
  assert.equal(a.withStableId({ ...n, thread: undefined }).id, n.id);
});
