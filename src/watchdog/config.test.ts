import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlStream } from '../yaml/stream.ts';
import { readWatchdogConfig } from './config.ts';

test('no Watchdog document: every detector, notify-only', () => {
  const { config } = readWatchdogConfig([
    parseYamlStream('apiVersion: v1\nkind: ConfigMap\n', 'x.yaml'),
  ]);
  assert.equal(config?.policy.actions.length, 0);
  assert.equal(config?.detectors.length, 13);
});

test('a Watchdog document: durations, disabled detectors, actions', () => {
  const yaml = [
    'apiVersion: berth.dev/v1alpha1',
    'kind: Watchdog',
    'metadata: { name: pe }',
    'spec:',
    '  detectors: [{ id: argocd-sync-health, enabled: false }, { id: cert-expiry, schedule: every 1d at 09:00 }]',
    '  actions: [{ action: rollout-restart, detectors: [pod-restart-loop] }]',
    '  cooldown: 15m',
    '  renotifyAfter: 1h',
  ].join('\n');
  const { config, diagnostics } = readWatchdogConfig([parseYamlStream(yaml, 'wd.yaml')]);
  assert.deepEqual(diagnostics, []);
  assert.equal(config?.name, 'pe');
  assert.equal(config?.policy.cooldownMs, 900_000);
  assert.equal(config?.trackerOptions.renotifyMs, 3_600_000);
  assert.equal(config?.policy.actions[0]?.transientOnly, true);
  assert.ok(!config?.detectors.some((d) => d.id === 'argocd-sync-health'));
  assert.equal(config?.schedules['cert-expiry'], 'every 1d at 09:00');
});

test('bad input: every problem at file:line:column, in reading order', () => {
  const yaml = [
    'apiVersion: berth.dev/v1alpha1',
    'kind: Watchdog',
    'metadata: { name: bad }',
    'spec:',
    '  actions:',
    '    - { action: reboot-node, detectors: [nope] }',
    '  cooldown: soon',
  ].join('\n');
  const { config, diagnostics } = readWatchdogConfig([parseYamlStream(yaml, 'bad.yaml')]);
  assert.equal(config, undefined);
  assert.deepEqual(
    diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.path}`),
    ['6:17 spec.actions[0].action', '6:42 spec.actions[0].detectors[0]', '7:13 spec.cooldown'],
  );
});
