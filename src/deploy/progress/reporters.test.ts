import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryIO } from '../../cli/test-io.ts';
import type { ApplyEvent, ApplyResult } from '../events.ts';
import { formatSummary } from './format.ts';
import { liveReporter, plainReporter } from './reporters.ts';

const api = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'vapora', name: 'api' };
const web = { ...api, name: 'web' };
const events: ApplyEvent[] = [
  { type: 'phase', phase: 'workloads', count: 2 },
  { type: 'applied', ref: api, phase: 'workloads' },
  {
    type: 'warning',
    ref: web,
    message: 'would violate PodSecurity "restricted:latest": runAsNonRoot != true',
  },
  { type: 'applied', ref: web, phase: 'workloads' },
  { type: 'waiting', pending: 2, total: 2 },
  {
    type: 'status',
    ref: api,
    readiness: { status: 'InProgress', reason: 'ready: 0/1' },
    elapsedMs: 300,
  },
  { type: 'tick', elapsedMs: 10_500 },
  {
    type: 'status',
    ref: api,
    readiness: { status: 'Current', reason: 'available' },
    elapsedMs: 11_200,
  },
  {
    type: 'status',
    ref: web,
    readiness: { status: 'Failed', reason: 'pod web-1: container web: CrashLoopBackOff' },
    elapsedMs: 11_900,
  },
];

test('plain reporter: one line per step, reminders while waiting', () => {
  const { io, captured } = memoryIO();
  const report = plainReporter(io);
  for (const e of events) report(e);
  assert.equal(
    captured.out,
    [
      '-- workloads: 2 object(s)',
      'applied   Deployment vapora/api',
      'warning   Deployment vapora/web: would violate PodSecurity "restricted:latest": runAsNonRoot != true',
      'applied   Deployment vapora/web',
      '-- waiting for 2 of 2 object(s) to be ready',
      'waiting   10.5s: Deployment vapora/api (ready: 0/1)',
      'ready     Deployment vapora/api (11.2s)',
      'failed    Deployment vapora/web: pod web-1: container web: CrashLoopBackOff',
      '',
    ].join('\n'),
  );
});

test('live reporter: redraws in place and keeps lasting lines', () => {
  const { io, captured } = memoryIO();
  const report = liveReporter(io);
  for (const e of events) report(e);
  const esc = String.fromCharCode(27);
  assert.ok(captured.out.includes(`${esc}[0J`), 'clears below the cursor');
  assert.ok(new RegExp(`${esc}\\[\\d+A`).test(captured.out), 'moves the cursor up');
  assert.match(captured.out, /! warning Deployment vapora\/web: would violate PodSecurity/);
  assert.match(
    captured.out,
    /✗ failed Deployment vapora\/web: pod web-1: container web: CrashLoopBackOff/,
  );
  assert.match(captured.out, /… Deployment vapora\/api: ready: 0\/1/);
  const lastFrame = captured.out.slice(captured.out.lastIndexOf(`${esc}[0J`) + 4);
  assert.match(lastFrame, /1\/2 ready/);
  assert.doesNotMatch(lastFrame, /vapora\/api: ready: 0\/1/, 'a ready object leaves the live list');
});

function result(outcome: ApplyResult['outcome'], objects: ApplyResult['objects']): ApplyResult {
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'ApplyResult',
    outcome,
    cluster: { context: 'c', server: 'https://x' },
    dryRun: false,
    waited: true,
    elapsedMs: 4200,
    objects,
    warnings: [],
    summary: {
      total: objects.length,
      applied: objects.filter((o) => o.action === 'applied').length,
      rejected: objects.filter((o) => o.action === 'rejected').length,
      skipped: objects.filter((o) => o.action === 'skipped').length,
      current: objects.filter((o) => o.status === 'Current').length,
      inProgress: objects.filter((o) => o.status === 'InProgress').length,
      failed: objects.filter((o) => o.status === 'Failed').length,
    },
  };
}

const summaryCases: [string, ApplyResult, RegExp][] = [
  [
    'ready',
    result('ready', [{ ...api, phase: 'workloads', action: 'applied', status: 'Current' }]),
    /^1 object\(s\) applied and ready in 4\.2s\.\n$/,
  ],
  [
    'rejected',
    result('rejected', [
      { ...api, phase: 'workloads', action: 'rejected', error: 'denied' },
      { ...web, phase: 'workloads', action: 'skipped' },
    ]),
    /^rejected {2}Deployment vapora\/api: denied\n1 object\(s\) rejected by the API server, 0 applied, 1 not applied/,
  ],
  [
    'timeout',
    result('timeout', [
      { ...api, phase: 'workloads', action: 'applied', status: 'InProgress', reason: 'ready: 0/1' },
    ]),
    /^pending {3}Deployment vapora\/api: ready: 0\/1\nTimed out after 5m0s: 1 object\(s\) not ready/,
  ],
];
for (const [name, r, expected] of summaryCases) {
  test(`summary: ${name}`, () => assert.match(formatSummary(r, 300_000), expected));
}

test('reporters: a led apply names its lanes, and the live view adds up their counts', () => {
  const led: ApplyEvent[] = [
    { type: 'phase', phase: 'workloads', count: 1, lane: 'changed' },
    { type: 'applied', ref: api, phase: 'workloads' },
    { type: 'phase', phase: 'workloads', count: 1, lane: 'unchanged' },
    { type: 'applied', ref: web, phase: 'workloads' },
  ];
  const plain = memoryIO();
  const say = plainReporter(plain.io);
  for (const e of led) say(e);
  const text = plain.captured.out;
  assert.match(text, /-- workloads \(changed\): 1 object\(s\)/);
  assert.match(text, /-- workloads \(unchanged\): 1 object\(s\)/);
  const live = memoryIO();
  const report = liveReporter(live.io);
  for (const e of led) report(e);
  const views = live.captured.out.match(/applied:[^\n]*/g) ?? [];
  assert.match(views.at(-1) ?? '', /✓ workloads 2\/2/);
});
