// `berth autoscale explain` against a real nats-server (no cluster needed: replicas are then
// reported unknown), and usage errors with exit code 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { startNats } from '../support/servers.ts';
import { natsQueue, publish, vaporaDir } from './support.ts';

test('explain: policy with defaults, the depth read now, and no running controller', async (t) => {
  const nats = await startNats(t);
  const nc = await natsQueue(t, nats.url);
  await publish(nc, 12);
  const { io, captured } = memoryIO({ env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
  const code = await runCli(
    [
      'autoscale',
      'explain',
      'developer',
      vaporaDir,
      '--endpoint',
      `nats=${nats.url}`,
      '--controller',
      'http://127.0.0.1:9',
    ],
    io,
  );
  assert.equal(code, 0, captured.err);
  const out = captured.out;
  assert.match(out, /^developer \(AgentPool vapora-agents\/developer\), engine berth$/m);
  assert.match(out, /source: {3}nats VAPORA_TASKS\/developer, read every 2 s/);
  assert.match(
    out,
    /policy: {3}above 10 pending: \+2, cooldown 4 s; below 2: −1, after 2 s, cooldown 10 s; 5\.\.20 replicas; an unknown depth holds/,
  );
  assert.match(out, /depth: {4}12 pending/);
  assert.match(out, /replicas: unknown/);
  assert.match(out, /no running autoscaler answered at http:\/\/127\.0\.0\.1:9/);

  const json = memoryIO({ env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
  await runCli(
    [
      'autoscale',
      'explain',
      'developer',
      vaporaDir,
      '--endpoint',
      `nats=${nats.url}`,
      '-o',
      'json',
      '--controller',
      'http://127.0.0.1:9',
    ],
    json.io,
  );
  const report = JSON.parse(json.captured.out) as {
    depth: { value: number };
    policy: { max: number };
  };
  assert.deepEqual(report.depth, { value: 12 });
  assert.equal(report.policy.max, 20);
});

test('usage errors exit 2 without a stack trace', async () => {
  for (const args of [
    ['autoscale', 'explain', 'vapora-backend', vaporaDir],
    ['autoscale', 'run', vaporaDir, '--endpoint', 'nats'],
    ['autoscale', 'run', vaporaDir, '--pool', 'nobody'],
  ]) {
    const { io, captured } = memoryIO();
    assert.equal(await runCli(args, io), 2, args.join(' '));
    assert.doesNotMatch(captured.err, /\n\s+at /, 'no stack trace');
  }
});
