import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../model.ts';
import { groupFindings } from '../incidents.ts';
import { decide } from './decide.ts';
import { notifyOnlyPolicy, type LedgerEntry, type Policy } from './types.ts';

const now = 1_800_000_000_000;
const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'clovis' };
function crash(reason = 'OOMKilled', excerpt?: string): Finding {
  const f: Finding = {
    detector: 'pod-restart-loop',
    severity: 'critical',
    object: { apiVersion: 'v1', kind: 'Pod', namespace: 'bots', name: 'clovis-7c9f-a' },
    reason: 'CrashLoopBackOff',
    message: 'crash',
    evidence: [],
    fingerprint: 'fp1',
    owner: deploy,
    termination: { container: 'app', reason, exitCode: reason === 'OOMKilled' ? 137 : 1 },
  };
  if (excerpt) f.excerpt = excerpt;
  return f;
}
const policy: Policy = {
  ...notifyOnlyPolicy,
  actions: [{ action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: true }],
};
const incident = (f = crash()) => groupFindings([f])[0]!;
const entry = (at: number, status: LedgerEntry['status'], target = deploy): LedgerEntry => ({
  id: `wd-${at}`,
  at,
  finishedAt: at + 1000,
  fingerprint: 'fp1',
  incident: 'x',
  action: { action: 'rollout-restart', target, command: 'kubectl' },
  inverse: { type: 'restore-restarted-at', previous: null },
  status,
});

const table: [string, Partial<Parameters<typeof decide>[0]>, string, RegExp][] = [
  ['notify-only without a Watchdog document', { policy: notifyOnlyPolicy }, 'notify', /no action/],
  ['transient cause: act', {}, 'act', /OOMKilled/],
  [
    'non-transient cause: notify with a proposal',
    { incident: incident(crash('Error', 'panic: nil map')) },
    'notify',
    /not acting/,
  ],
  [
    'dry-run',
    { policy: { ...policy, dryRun: true } },
    'dry-run',
    /would run kubectl -n bots rollout restart deployment\/clovis/,
  ],
  ['out of scope', { policy: { ...policy, include: ['other'] } }, 'notify', /outside/],
  ['excluded namespace', { policy: { ...policy, exclude: ['bots'] } }, 'notify', /outside/],
  [
    'cooldown after a verified restart',
    { ledger: [entry(now - 60_000, 'verified')] },
    'wait',
    /cooldown/,
  ],
  [
    'a failed restart escalates',
    { ledger: [entry(now - 60_000, 'failed')] },
    'escalate',
    /did not fix it/,
  ],
  [
    'workload budget',
    { ledger: [entry(now - 50 * 60_000, 'verified'), entry(now - 40 * 60_000, 'verified')] },
    'escalate',
    /budget spent: 2/,
  ],
  [
    'cluster budget',
    {
      policy: { ...policy, perClusterPerHour: 2 },
      ledger: [
        entry(now - 50 * 60_000, 'verified', { ...deploy, name: 'a' }),
        entry(now - 40 * 60_000, 'verified', { ...deploy, name: 'b' }),
      ],
    },
    'escalate',
    /cluster budget/,
  ],
  [
    'breaker open after 3 failures',
    {
      ledger: [1, 2, 3].map((i) =>
        entry(now - (40 - i) * 60_000, 'failed', { ...deploy, name: `w${i}` }),
      ),
    },
    'escalate',
    /circuit breaker/,
  ],
  [
    'breaker closes after its reset',
    {
      ledger: [1, 2, 3].map((i) =>
        entry(now - (200 - i) * 60_000, 'failed', { ...deploy, name: `w${i}` }),
      ),
    },
    'act',
    /OOM/,
  ],
  [
    'dry-run entries do not count against budgets',
    { ledger: [entry(now - 60_000, 'dry-run'), entry(now - 50_000, 'dry-run')] },
    'act',
    /OOM/,
  ],
];

for (const [name, over, type, because] of table) {
  test(`policy: ${name}`, () => {
    const d = decide({ incident: incident(), policy, ledger: [], now, ...over });
    assert.equal(d.type, type, JSON.stringify(d));
    assert.match(d.because, because);
  });
}

test('a node is cluster-scoped: never acted on, the command is proposed', () => {
  const node: Finding = {
    detector: 'cluster-health-check',
    severity: 'critical',
    object: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    reason: 'NodeNotReady',
    message: 'x',
    evidence: [],
    fingerprint: 'n',
  };
  const d = decide({
    incident: groupFindings([node])[0]!,
    policy: {
      ...policy,
      actions: [
        { action: 'delete-pod', detectors: ['cluster-health-check'], transientOnly: false },
      ],
    },
    ledger: [],
    now,
  });
  assert.equal(d.type, 'notify');
  assert.match(d.because, /cluster-scoped/);
  assert.match(d.type === 'notify' ? (d.proposal ?? '') : '', /kubectl drain n1/);
});

test('scale keeps replicas within the bounds', () => {
  const svc: Finding = { ...crash(), detector: 'service-no-endpoints', reason: 'NoReadyEndpoints' };
  const p: Policy = {
    ...policy,
    actions: [
      {
        action: 'scale',
        detectors: ['service-no-endpoints'],
        transientOnly: false,
        minReplicas: 1,
        maxReplicas: 3,
      },
    ],
  };
  const d = decide({ incident: incident(svc), policy: p, ledger: [], now, currentReplicas: 0 });
  assert.equal(d.type, 'act');
  assert.equal(
    d.type === 'act' ? d.action.command : '',
    'kubectl -n bots scale deployment/clovis --replicas=1',
  );
  assert.equal(
    decide({ incident: incident(svc), policy: p, ledger: [], now, currentReplicas: 2 }).type,
    'notify',
  );
});
