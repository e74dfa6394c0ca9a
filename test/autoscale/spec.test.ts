// The AgentPool queue and scaling fields: defaults (seed 004's rule), and file:line errors for
// queues that cannot be read.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { policyOf, sourceOf, type AgentPool } from '../../src/autoscale/pools.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';

const platform = `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata: { name: p }
spec: { namespace: p }
---
apiVersion: berth.dev/v1alpha1
kind: Store
metadata: { name: redis }
spec: { engine: redis, image: redis:7.4.2 }
---
apiVersion: berth.dev/v1alpha1
kind: Store
metadata: { name: nats }
spec: { engine: nats, image: nats:2.10.24 }
`;
const pool = (name: string, queue: string, extra = '') => `---
apiVersion: berth.dev/v1alpha1
kind: AgentPool
metadata: { name: ${name} }
spec:
  image: a/b:1.0.0
  probes: { enabled: false }
  maxReplicas: 4
  queue: ${queue}
${extra}`;

async function load(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'berth-autoscale-spec-'));
  try {
    await writeFile(join(dir, 'ws.yaml'), text);
    return await loadWorkspace(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('defaults: the seed rule, 2 s polls, and in-cluster sources for each queue kind', async () => {
  const ws = await load(
    platform +
      pool('a', '{ store: nats, stream: S, consumer: a }') +
      pool('b', '{ store: redis, listName: jobs }') +
      pool('c', '{ store: redis, stream: events, group: workers }') +
      pool('d', '{ prometheus: { url: "http://prom:9090", query: "sum(q)" } }') +
      pool('e', '{ http: { url: "http://api/q", path: "$.depth" } }'),
  );
  const pools = ws.components.filter((c): c is AgentPool => c.kind === 'AgentPool');
  const a = pools[0];
  assert.ok(a);
  assert.deepEqual(policyOf(a), {
    pool: 'a',
    min: 1,
    max: 4,
    rule: { type: 'threshold', upAbove: 10, downBelow: 2 },
    activation: 0,
    up: { step: 2, stepType: 'pods', stabilizationMs: 0, cooldownMs: 4000, limitPeriodMs: 60000 },
    down: {
      step: 1,
      stepType: 'pods',
      stabilizationMs: 2000,
      cooldownMs: 10000,
      limitPeriodMs: 60000,
    },
  });
  assert.equal(a.spec.scaling.pollSeconds, 2);
  assert.deepEqual(
    pools.map((p) => sourceOf(p, ws, { redis: 'redis://127.0.0.1:6379' })),
    [
      { kind: 'nats', url: 'nats://nats.p.svc.cluster.local:4222', stream: 'S', consumer: 'a' },
      { kind: 'redis', url: 'redis://127.0.0.1:6379', database: 0, list: 'jobs' },
      {
        kind: 'redis',
        url: 'redis://127.0.0.1:6379',
        database: 0,
        stream: 'events',
        group: 'workers',
      },
      { kind: 'prometheus', url: 'http://prom:9090', query: 'sum(q)' },
      { kind: 'http-json', url: 'http://api/q', path: '$.depth' },
    ],
  );
});

test('queues that cannot be read are errors with file:line', async () => {
  const error = await load(
    platform +
      pool('a', '{ store: nats, stream: S }') +
      pool('b', '{ store: redis }') +
      pool('c', '{ store: redis, listName: x, stream: y, group: z }') +
      pool(
        'd',
        '{ store: nats, stream: S, consumer: d, prometheus: { url: "http://p", query: q } }',
      ) +
      pool('e', '{ store: nats, stream: S, consumer: e }', '  scaling: { rule: sometimes }\n'),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof InvalidInputError, String(error));
  const messages = error.diagnostics.map(
    (d) => `${d.position?.line ?? '?'} ${d.path ?? ''}: ${d.message}`,
  );
  const has = (re: RegExp) =>
    assert.ok(
      messages.some((m) => re.test(m)),
      `${re} in\n${messages.join('\n')}`,
    );
  has(/spec.queue: a nats queue needs consumer/);
  has(/spec.queue: a redis queue needs listName, or stream and group/);
  has(/spec.queue: a redis queue is a list or a stream group, not both/);
  has(/spec.queue: .*exactly one of store, prometheus, http/i);
  has(/spec.scaling.rule: .*threshold.*target/);
  assert.ok(error.diagnostics.every((d) => d.position?.file.endsWith('ws.yaml')));
});
