import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupFindings } from './incidents.ts';
import type { Finding } from './model.ts';
import { track } from './tracker.ts';

const f = (name: string, o: Partial<Finding> = {}): Finding => ({
  detector: 'pod-restart-loop',
  severity: 'critical',
  object: { apiVersion: 'v1', kind: 'Pod', namespace: 'bots', name },
  reason: 'CrashLoopBackOff',
  message: name,
  evidence: [],
  fingerprint: 'deploy-fp',
  owner: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'clovis' },
  ...o,
});

test('50 pods of one Deployment: one incident about the Deployment', () => {
  const incidents = groupFindings(
    Array.from({ length: 50 }, (_, i) => f(`clovis-${String(i).padStart(2, '0')}`)),
  );
  assert.equal(incidents.length, 1);
  assert.equal(incidents[0]!.findings.length, 50);
  assert.equal(incidents[0]!.title, 'CrashLoopBackOff: Deployment bots/clovis (50 objects)');
});

test('a NotReady node with 20 pods: one incident for the node', () => {
  const node: Finding = {
    detector: 'cluster-health-check',
    severity: 'critical',
    object: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    reason: 'NodeNotReady',
    message: 'n1',
    evidence: [],
    fingerprint: 'node-fp',
  };
  const pods = Array.from({ length: 20 }, (_, i) =>
    f(`p${i}`, {
      node: 'n1',
      fingerprint: `fp${i % 3}`,
      detector: 'cluster-health-check',
      reason: 'PodFailed',
    }),
  );
  const other = f('elsewhere', { node: 'n2', fingerprint: 'other' });
  const incidents = groupFindings([...pods, node, other]);
  assert.equal(incidents.length, 2);
  const down = incidents.find((i) => i.fingerprint === 'node-fp')!;
  assert.equal(down.findings.length, 21);
  assert.match(down.title, /^NodeNotReady: Node n1 \(20 affected/);
});

test('tracker: open once, silent while open, re-notify after the interval, resolve after the grace', () => {
  const opts = { renotifyMs: 3_600_000, resolveAfterMs: 120_000 };
  const inc = groupFindings([f('a')]);
  let r = track({ open: {} }, inc, 0, opts);
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['opened'],
  );
  r = track(r.state, inc, 60_000, opts);
  assert.deepEqual(r.events, []);
  r = track(r.state, [], 120_000, opts);
  assert.deepEqual(r.events, [], 'gone for 60 s only: not resolved yet (no flapping)');
  r = track(r.state, inc, 3_600_000, opts);
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['renotify'],
  );
  r = track(r.state, [], 3_700_000, opts);
  r = track(r.state, [], 3_800_000, opts);
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['resolved'],
  );
  assert.deepEqual(r.state.open, {});
});
