// The dashboard's pure parts, table-driven: the undo decision (the watchdog policy decides an
// undo like any action), the view builder (cluster data in, DashboardView out), and the page
// (escaped, no scripts, a form with the CSRF token only where undo is allowed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AutoscaleController } from '../../src/autoscale/adapters/controller.ts';
import {
  autoscalerViewSources,
  type PoolExplainer,
} from '../../src/service/adapters/view-cluster.ts';
import { renderDashboard } from '../../src/service/dashboard.ts';
import { buildView, formatTime, type ViewInput } from '../../src/service/view.ts';
import {
  appendRequest,
  decideUndo,
  undoRequestLimit,
  type UndoRequest,
} from '../../src/service/view-undo.ts';
import {
  notifyOnlyPolicy,
  type LedgerEntry,
  type Policy,
} from '../../src/watchdog/policy/types.ts';

const now = Date.parse('2026-12-02T17:00:00Z');
const min = 60_000;
const policy: Policy = {
  ...notifyOnlyPolicy,
  include: ['bots'],
  actions: [
    { action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: false },
    { action: 'scale', detectors: ['pod-unschedulable'], transientOnly: false },
  ],
  perClusterPerHour: 3,
};

function entry(id: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id,
    at: now - 30 * min,
    fingerprint: 'fp',
    incident: 'CrashLoopBackOff: Deployment bots/clovis',
    action: {
      action: 'rollout-restart',
      target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'clovis' },
      command: 'kubectl -n bots rollout restart deployment/clovis',
    },
    inverse: { type: 'restore-restarted-at', previous: null, previousRevision: '1' },
    status: 'verified',
    result: 'Deployment available',
    finishedAt: now - 29 * min,
    ...over,
  };
}

const request = (over: Partial<UndoRequest>): UndoRequest => ({
  id: 'undo-x-1',
  entry: 'a',
  user: 'roger',
  at: now - min,
  via: 'berth-0',
  status: 'done',
  finishedAt: now - min,
  ...over,
});

test('decideUndo: the policy decides an undo like an action', () => {
  const cases: {
    name: string;
    entries?: LedgerEntry[];
    requests?: UndoRequest[];
    policy?: Partial<Policy>;
    want: RegExp | 'undo';
  }[] = [
    { name: 'a verified restart', want: 'undo' },
    { name: 'a failed restart', entries: [entry('a', { status: 'failed' })], want: 'undo' },
    { name: 'unknown id', entries: [], want: /no ledger entry a/ },
    { name: 'already undone', entries: [entry('a', { status: 'undone' })], want: /already undone/ },
    { name: 'a dry run', entries: [entry('a', { status: 'dry-run' })], want: /dry run/ },
    {
      name: 'still verifying',
      entries: [entry('a', { status: 'pending' })],
      want: /still running/,
    },
    {
      name: 'a deleted pod has nothing to put back',
      entries: [entry('a', { inverse: { type: 'none', why: 'recreated by its controller' } })],
      want: /cannot be undone: recreated/,
    },
    {
      name: 'namespace out of scope now',
      policy: { include: ['other'] },
      want: /outside the watchdog's scope/,
    },
    {
      name: 'excluded namespace',
      policy: { include: [], exclude: ['bots'] },
      want: /outside the watchdog's scope/,
    },
    {
      name: 'the action is no longer allowed',
      policy: { actions: [] },
      want: /no longer allows rollout-restart/,
    },
    { name: 'dry-run policy', policy: { dryRun: true }, want: /dry-run: would remove the restart/ },
    {
      name: 'asked already',
      requests: [request({ id: 'undo-y-1', status: 'pending' })],
      want: /already asked \(undo-y-1, pending\)/,
    },
    {
      name: 'cluster budget: 2 actions and 1 undo in the hour',
      entries: [entry('a'), entry('b', { at: now - 10 * min })],
      requests: [request({ entry: 'c' })],
      want: /cluster budget spent: 3/,
    },
    {
      name: 'undos older than an hour do not count',
      entries: [entry('a'), entry('b', { at: now - 10 * min })],
      requests: [request({ entry: 'c', at: now - 90 * min, finishedAt: now - 90 * min })],
      want: 'undo',
    },
  ];
  for (const c of cases) {
    const d = decideUndo({
      entryId: 'a',
      entries: c.entries ?? [entry('a')],
      requests: c.requests ?? [],
      policy: { ...policy, ...c.policy },
      now,
    });
    if (c.want === 'undo') assert.equal(d.type, 'undo', `${c.name}: ${JSON.stringify(d)}`);
    else {
      assert.equal(d.type, 'refuse', c.name);
      assert.match((d as { because: string }).because, c.want, c.name);
    }
  }
  const scale = decideUndo({
    entryId: 'a',
    entries: [
      entry('a', {
        action: { ...entry('a').action, action: 'scale', replicas: 4 },
        inverse: { type: 'scale', replicas: 2 },
      }),
    ],
    requests: [],
    policy,
    now,
  });
  assert.deepEqual(scale.type === 'undo' && scale.what, 'scale Deployment bots/clovis back to 2');
});

test('appendRequest keeps pending requests and drops the oldest finished ones', () => {
  let rs: UndoRequest[] = [request({ id: 'p', status: 'pending' })];
  for (let i = 0; i < undoRequestLimit + 5; i++) rs = appendRequest(rs, request({ id: `r${i}` }));
  assert.equal(rs.length, undoRequestLimit);
  assert.equal(rs[0]!.id, 'p');
  assert.equal(rs.at(-1)!.id, `r${undoRequestLimit + 4}`);
});

const base: ViewInput = {
  version: '0.1.0',
  identity: 'berth-1',
  leader: false,
  ready: true,
  now,
};

test('buildView: the same cluster data gives every replica the same tables', () => {
  const cases: {
    name: string;
    input: Partial<ViewInput>;
    check: (v: ReturnType<typeof buildView>) => void;
  }[] = [
    {
      name: 'nothing read',
      input: {},
      check: (v) => {
        assert.equal(v.leaderIdentity, 'unknown (Lease not read)');
        assert.deepEqual([v.incidents, v.ledger, v.pools, v.schedules], [[], [], [], []]);
      },
    },
    {
      name: 'a live lease names its holder; an expired one says so',
      input: {
        lease: {
          holder: 'berth-0',
          renewTime: new Date(now - 5000).toISOString(),
          durationSeconds: 15,
        },
      },
      check: (v) => assert.equal(v.leaderIdentity, 'berth-0'),
    },
    {
      name: 'expired lease',
      input: {
        lease: {
          holder: 'berth-0',
          renewTime: new Date(now - 60_000).toISOString(),
          durationSeconds: 15,
        },
      },
      check: (v) =>
        assert.match(v.leaderIdentity ?? '', /^none \(berth-0's lease expired .*45 s ago\)/),
    },
    {
      name: 'incidents by severity, with their evidence',
      input: {
        incidents: {
          open: {
            w: {
              fingerprint: 'w',
              title: 'Warn',
              severity: 'warning',
              firstSeen: now - 2 * min,
              lastSeen: now,
              lastNotified: now,
              notifications: 1,
            },
            c: {
              fingerprint: 'c',
              title: 'Crit',
              severity: 'critical',
              firstSeen: now - min,
              lastSeen: now,
              lastNotified: now,
              notifications: 1,
              evidence: ['restarts: 3', 'last exit: Error (code 1)'],
            },
          },
        },
      },
      check: (v) => {
        assert.deepEqual(
          v.incidents.map((i) => i.title),
          ['Crit', 'Warn'],
        );
        assert.deepEqual(v.incidents[0]!.evidence, ['restarts: 3', 'last exit: Error (code 1)']);
        assert.equal(v.incidents[1]!.since, '2026-12-02 16:58:00Z (2 min ago)');
      },
    },
    {
      name: 'ledger newest first; undo offered only where the policy allows',
      input: {
        policy,
        undo: true,
        ledger: [
          entry('a'),
          entry('b', { at: now - min, status: 'undone', result: 'undone by roger' }),
          entry('c', { at: now - 2 * min, status: 'dry-run' }),
        ],
      },
      check: (v) => {
        assert.deepEqual(
          v.ledger.map((e) => [e.id, e.undoable ?? false]),
          [
            ['b', false],
            ['c', false],
            ['a', true],
          ],
        );
        assert.equal(v.ledger[0]!.undoBlocked, undefined, 'no reason shown for an undone entry');
        assert.equal(v.ledger[2]!.command, 'kubectl -n bots rollout restart deployment/clovis');
      },
    },
    {
      name: 'no undo handler: no buttons',
      input: { policy, ledger: [entry('a')] },
      check: (v) => assert.equal(v.ledger[0]!.undoable, undefined),
    },
    {
      name: 'blocked undo says why',
      input: { policy: { ...policy, dryRun: true }, undo: true, ledger: [entry('a')] },
      check: (v) => assert.match(v.ledger[0]!.undoBlocked ?? '', /dry-run/),
    },
    {
      name: 'pools: replicas from the Deployment, reason from the last decision',
      input: {
        pools: [
          { name: 'dev', namespace: 'bots', replicas: 3, min: 1, max: 20 },
          { name: 'gone', namespace: 'bots' },
        ],
        decisions: [
          {
            pool: 'dev',
            at: now - 10_000,
            depth: 42,
            reason: 'dev: 42 pending > 10, 3 → 5 replicas',
          },
        ],
      },
      check: (v) => {
        assert.deepEqual(v.pools[0], {
          name: 'bots/dev',
          replicas: 3,
          bounds: '1..20',
          depth: 42,
          reason: 'dev: 42 pending > 10, 3 → 5 replicas',
          decidedAt: '2026-12-02 16:59:50Z (10 s ago)',
        });
        assert.deepEqual(v.pools[1], {
          name: 'bots/gone',
          replicas: 0,
          reason: 'Deployment not found',
        });
      },
    },
    {
      name: 'schedules sorted, with last and next runs',
      input: {
        schedules: [
          {
            detector: 'daily-cluster-report',
            schedule: '0 8 * * *',
            nextRun: now + 15 * 3_600_000,
          },
          { detector: 'cert-expiry', schedule: 'every 1h' },
        ],
        runs: { 'cert-expiry': { at: now - 20 * min, result: 'no findings' } },
      },
      check: (v) => {
        assert.deepEqual(v.schedules, [
          {
            detector: 'cert-expiry',
            schedule: 'every 1h',
            lastRun: '2026-12-02 16:40:00Z (20 min ago)',
            lastResult: 'no findings',
          },
          {
            detector: 'daily-cluster-report',
            schedule: '0 8 * * *',
            lastRun: 'not yet',
            nextRun: '2026-12-03 08:00:00Z (in 15 h)',
          },
        ]);
      },
    },
    {
      name: 'no provider of last runs: not recorded',
      input: { schedules: [{ detector: 'cert-expiry', schedule: 'every 1h' }] },
      check: (v) => assert.equal(v.schedules?.[0]?.lastRun, 'not recorded'),
    },
    {
      name: 'the undo request asked for',
      input: {
        requests: [request({ id: 'undo-k-1', entry: 'a', result: 'scaled back to 2' })],
        undoRequest: 'undo-k-1',
      },
      check: (v) =>
        assert.deepEqual(v.undo, {
          id: 'undo-k-1',
          entry: 'a',
          status: 'done',
          user: 'roger',
          result: 'scaled back to 2',
        }),
    },
    {
      name: 'an unknown undo request',
      input: { undoRequest: 'undo-nope-1' },
      check: (v) => assert.equal(v.undo?.result, 'no such request'),
    },
  ];
  for (const c of cases) {
    const view = buildView({ ...base, ...c.input });
    c.check(view);
    assert.deepEqual(
      buildView({ ...base, ...c.input, identity: 'berth-0', leader: true }).ledger,
      view.ledger,
      `${c.name}: same on the leader`,
    );
  }
});

test('formatTime: absolute UTC and relative', () => {
  assert.equal(formatTime(now, now), '2026-12-02 17:00:00Z (just now)');
  assert.equal(formatTime(now - 3 * 86_400_000, now), '2026-11-29 17:00:00Z (3 d ago)');
});

test('the page: escaped, no scripts, an undo form with the token only where allowed', () => {
  const view = buildView({
    ...base,
    policy,
    undo: true,
    ledger: [
      entry('a', { incident: '<script>alert(1)</script>' }),
      entry('b', { status: 'undone' }),
    ],
    requests: [request({ id: 'undo-p-1', status: 'pending', entry: 'b' })],
    undoRequest: 'undo-p-1',
  });
  const page = renderDashboard(view, { csrfToken: 'tok"en' });
  assert.ok(!/<script/i.test(page));
  assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal(page.match(/<form method="post" action="\/undo">/g)?.length, 1);
  assert.match(page, /name="entry" value="a"/);
  assert.match(page, /name="csrf" value="tok&quot;en"/);
  assert.match(page, /<meta http-equiv="refresh" content="2;url=\/\?undo=undo-p-1">/);
  assert.match(page, /form-action 'self'/);
  assert.equal(renderDashboard(view).match(/<form/g), null, 'no token, no form');
});

test('autoscalerViewSources: pools and their latest decision from the controller', () => {
  // The real controller fits the port (checked by the compiler).
  const fits = (c: AutoscaleController): PoolExplainer => c;
  assert.equal(typeof fits, 'function');
  const explainer: PoolExplainer = {
    poolNames: () => ['dev', 'ops'],
    explain: (pool) =>
      pool === 'dev'
        ? {
            namespace: 'bots',
            policy: { min: 1, max: 20 },
            decisions: [
              { at: now - 20_000, reason: 'old' },
              { at: now - 10_000, depth: 7, reason: 'dev: 7 pending, in band' },
            ],
          }
        : { namespace: 'ops', policy: { min: 0, max: 2 }, decisions: [] },
  };
  const s = autoscalerViewSources(explainer);
  assert.deepEqual(s.pools, [
    { name: 'dev', namespace: 'bots', min: 1, max: 20 },
    { name: 'ops', namespace: 'ops', min: 0, max: 2 },
  ]);
  assert.deepEqual(s.decisions?.(), [
    { pool: 'dev', at: now - 10_000, reason: 'dev: 7 pending, in band', depth: 7 },
  ]);
});
