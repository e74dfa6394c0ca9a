// The dashboard's schedules panel from a running watchdog: the runner says when each scheduled
// detector last fired (croner), the view shows it next to the next run; a schedule that has not
// fired yet says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { nextRunOf, schedulesOf } from '../../src/service/adapters/view-cluster.ts';
import { buildView } from '../../src/service/view.ts';
import { WatchdogRunner } from '../../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';

test('last runs from the runner, next runs from croner, in the view', async (t) => {
  const kube = new MemoryKube();
  let passes = 0;
  const schedules = { 'daily-cluster-report': '* * * * * *' };
  const runner = new WatchdogRunner({
    kube,
    engine: {
      pass: () => {
        passes++;
        return Promise.resolve({ findings: [], incidents: [], decisions: [], messages: 0 });
      },
      settle: () => Promise.resolve(),
    },
    detectors: defaultConfig.detectors,
    schedules,
    metricsIntervalMs: 60_000,
    metricsWindowMs: 600_000,
  });
  const before = Date.now();
  await runner.start();
  t.after(() => runner.stop());
  await sleep(2_300);
  const runs = runner.lastRuns();
  assert.ok(passes >= 2, `the schedule fired (${passes} passes)`);
  const last = runs['daily-cluster-report']?.at ?? 0;
  assert.ok(last > before && last <= Date.now(), `last run ${last}`);
  assert.equal(runs['cert-expiry'], undefined, 'hourly: not fired yet');

  const now = Date.now();
  const listed = schedulesOf({ detectors: defaultConfig.detectors, schedules });
  assert.deepEqual(
    listed.map((s) => s.detector),
    ['cert-expiry', 'daily-cluster-report'],
  );
  const view = buildView({
    version: 't',
    identity: 'berth-0',
    leader: true,
    ready: true,
    now,
    schedules: listed.map((s) => ({ ...s, nextRun: nextRunOf(s.schedule, now)! })),
    runs,
  });
  const [cert, daily] = view.schedules!;
  assert.equal(cert!.lastRun, 'not yet');
  assert.match(cert!.nextRun ?? '', /:00:00Z \(in \d+ (s|min)\)$/);
  assert.match(daily!.lastRun ?? '', /\(just now\)$/);
  assert.match(daily!.nextRun ?? '', /\(in 1 s\)$|\(just now\)$/);
  assert.equal(nextRunOf('not a schedule', now), undefined);
});
