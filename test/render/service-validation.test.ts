// The spec of berth's service refuses what it could not render, each problem at its file:line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnosticsOf, platformDoc, watchdogDoc } from './service-support.ts';

const service = (lines: string) => `    image: registry.example/berth:0.9.0
    dashboard: { authSecret: berth-dashboard }
${lines}`;

const cases: { name: string; text: string; expected: RegExp }[] = [
  {
    name: 'an undeclared auth secret',
    text:
      platformDoc +
      watchdogDoc({
        service: `    image: registry.example/berth:0.9.0\n    dashboard: { authSecret: nope }\n`,
      }),
    expected: /^28 spec\.service\.dashboard\.authSecret: unknown secret "nope"$/,
  },
  {
    name: 'an undeclared envFrom secret',
    text: platformDoc + watchdogDoc({ service: service('    envFrom: [missing]\n') }),
    expected: /^\d+ spec\.service\.envFrom\[0\]: unknown secret "missing"$/,
  },
  {
    name: 'a mutable image',
    text:
      platformDoc +
      watchdogDoc({
        service: `    image: registry.example/berth:latest\n    dashboard: { authSecret: berth-dashboard }\n`,
      }),
    expected: /^\d+ spec\.service\.image: image "registry\.example\/berth:latest" is not pinned/,
  },
  {
    name: 'an unknown node pool',
    text: platformDoc + watchdogDoc({ service: service('    nodePool: gpu\n') }),
    expected: /^\d+ spec\.service\.nodePool: unknown node pool "gpu"$/,
  },
  {
    name: 'an undeclared LLM key secret',
    text:
      platformDoc +
      watchdogDoc({
        extra: `  llm: { baseURL: 'http://llm:4000/v1', model: m, apiKey: { secret: x, key: K } }\n`,
      }),
    expected: /^\d+ spec\.llm\.apiKey\.secret: unknown secret "x"$/,
  },
  {
    name: 'an LLM base URL that is not a URL',
    text: platformDoc + watchdogDoc({ extra: `  llm: { baseURL: 'litellm:4000', model: m }\n` }),
    expected: /^\d+ spec\.llm\.baseURL: /,
  },
  {
    name: 'a ledger in another namespace than the service',
    text: platformDoc + watchdogDoc({ extra: '  ledgerNamespace: elsewhere\n' }),
    expected: /^\d+ spec\.ledgerNamespace: the service runs in namespace "apps"/,
  },
  {
    name: 'a service named like a component',
    text:
      platformDoc +
      `---
apiVersion: berth.dev/v1alpha1
kind: Service
metadata: { name: berth }
spec: { image: 'nginx:1.27.0', ports: [{ name: http, port: 8080 }] }
` +
      watchdogDoc(),
    expected: /^\d+ spec\.service\.name: the service's name "berth" is taken by a component/,
  },
  {
    name: 'a Watchdog document named like a component',
    text:
      platformDoc +
      `---
apiVersion: berth.dev/v1alpha1
kind: Service
metadata: { name: ops }
spec: { image: 'nginx:1.27.0', ports: [{ name: http, port: 8080 }] }
` +
      watchdogDoc().replace('metadata: { name: berth }', 'metadata: { name: ops }'),
    expected: /^\d+ metadata\.name: the Watchdog document's name "ops" is taken by a component$/,
  },
  {
    name: 'a second Watchdog document',
    text: platformDoc + watchdogDoc() + watchdogDoc(),
    expected: /^\d+ kind: only one Watchdog document is allowed$/,
  },
  {
    name: 'the service declared twice (Watchdog and Platform)',
    text:
      platformDoc.replace(
        '  namespace: apps\n',
        `  namespace: apps\n  autoscaling:\n    service:\n      image: registry.example/berth:0.9.0\n      dashboard: { authSecret: berth-dashboard }\n`,
      ) + watchdogDoc(),
    expected: /^8 spec\.autoscaling\.service: berth runs as one service \(ADR 0100\)/,
  },
  {
    name: 'a replica count beyond 5',
    text: platformDoc + watchdogDoc({ service: service('    replicas: 9\n') }),
    expected: /^\d+ spec\.service\.replicas: /,
  },
];

for (const c of cases)
  test(`service spec: ${c.name} is refused at its line`, () => {
    const found = diagnosticsOf(c.text);
    assert.ok(
      found.some((d) => c.expected.test(d)),
      `expected ${String(c.expected)} among:\n${found.join('\n')}`,
    );
    for (const d of found) assert.ok(!d.startsWith('0 '), `positioned: ${d}`);
  });

test('service spec: the example-shaped document is valid', () => {
  assert.deepEqual(diagnosticsOf(platformDoc + watchdogDoc({ actions: ['delete-pod'] })), []);
});
