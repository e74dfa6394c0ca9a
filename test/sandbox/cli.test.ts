// `berth sandbox` commands that need no running cluster: paths, status of a stopped sandbox,
// usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';

const env = { HOME: '/home/someone', BERTH_SANDBOX_STATE: '/tmp/berth-cli-test-state' };

test('berth sandbox kubeconfig prints the path of the named sandbox', async () => {
  const { io, captured } = memoryIO({ env });
  assert.equal(await runCli(['sandbox', 'kubeconfig', '--name', 'demo'], io), 0);
  assert.equal(captured.out, '/tmp/berth-cli-test-state/demo/kubeconfig\n');
});

test('berth sandbox status of a sandbox that is not running: every component stopped, exit 1', async () => {
  const { io, captured } = memoryIO({ env });
  assert.equal(await runCli(['sandbox', 'status', '--name', 'never-started', '-o', 'json'], io), 1);
  const status = JSON.parse(captured.out) as {
    running: boolean;
    components: { component: string; state: string }[];
  };
  assert.equal(status.running, false);
  assert.deepEqual(
    status.components.map((c) => `${c.component}:${c.state}`),
    [
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
      'provisioner',
      'metrics-server',
    ].map((c) => `${c}:stopped`),
  );
});

const usage = [
  { argv: ['sandbox', 'up', '--timeout', 'soon'], message: /--timeout soon: not a duration/ },
  {
    argv: ['sandbox', 'kubeconfig', '--name', 'Bad_Name'],
    message: /sandbox name "Bad_Name" is not valid/,
  },
  { argv: ['sandbox', 'down', '--bogus'], message: /unknown option '--bogus'/ },
];

for (const { argv, message } of usage)
  test(`berth ${argv.join(' ')} is a usage error (exit 2)`, async () => {
    const { io, captured } = memoryIO({ env });
    assert.equal(await runCli(argv, io), 2);
    assert.match(captured.err, message);
  });
