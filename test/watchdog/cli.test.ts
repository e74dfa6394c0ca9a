// `berth watchdog` on the command line: exit codes (0 healthy, 1 findings, 2 bad input), JSON
// output, the report delivered to --notify, ledger and undo, against the test cluster.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { applyObjects, testKubeconfig, testNamespace, waitFor } from '../support/cluster.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { deployment } from './support.ts';

async function file(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-wd-cli-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

test('watchdog check: bad Watchdog document exits 2 with file:line diagnostics', async () => {
  const bad = await file(
    'wd.yaml',
    'apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata: { name: x }\nspec:\n  cooldown: soon\n',
  );
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['watchdog', 'check', bad, '--kubeconfig', testKubeconfig()], io), 2);
  assert.match(captured.err, /wd\.yaml:5:13: spec\.cooldown: invalid duration "soon"/);
  const usage = memoryIO();
  assert.equal(
    await runCli(
      ['watchdog', 'run', '--notify', 'teams=https://x/y', '--kubeconfig', testKubeconfig()],
      usage.io,
    ),
    2,
  );
  assert.match(usage.captured.err, /unknown kind "teams"/);
});

test('watchdog check -o json: findings of one namespace, exit 1; report delivered to --notify', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-cli' });
  const scope = await file(
    'wd.yaml',
    `apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata: { name: cli }\nspec:\n  namespaces: { include: [${namespace}] }\n`,
  );
  await applyObjects([
    { ...deployment('broken', { fault: 'image-pull' }), metadata: { name: 'broken', namespace } },
  ] as never);
  const findings = await waitFor(
    'the finding',
    async () => {
      const { io, captured } = memoryIO();
      const code = await runCli(
        [
          'watchdog',
          'check',
          scope,
          '--detector',
          'pod-restart-loop',
          '-o',
          'json',
          '--kubeconfig',
          testKubeconfig(),
        ],
        io,
      );
      const out = JSON.parse(captured.out) as {
        findings: { object: { namespace?: string }; reason: string }[];
      };
      const mine = out.findings.filter((f) => f.object.namespace === namespace);
      return code === 1 && mine.length > 0 ? mine : undefined;
    },
    { timeoutMs: 30_000 },
  );
  assert.equal(findings[0]?.reason, 'ImagePullBackOff');
  const chat = await startFakeChat();
  t.after(() => chat.close());
  const { io, captured } = memoryIO({
    env: { HOME: await mkdtemp(join(tmpdir(), 'berth-home-')) },
  });
  assert.equal(
    await runCli(
      [
        'watchdog',
        'report',
        '--notify',
        `slack=${chat.slackUrl}`,
        '--kubeconfig',
        testKubeconfig(),
      ],
      io,
    ),
    0,
    captured.err,
  );
  assert.match(captured.out, /^cluster report \d{4}-\d\d-\d\d: \d+\/\d+ nodes Ready/);
  assert.equal(chat.messages('slack').length, 1);
  const ledger = memoryIO();
  assert.equal(
    await runCli(
      [
        'watchdog',
        'ledger',
        '--ledger-namespace',
        namespace,
        '-o',
        'json',
        '--kubeconfig',
        testKubeconfig(),
      ],
      ledger.io,
    ),
    0,
  );
  assert.deepEqual(JSON.parse(ledger.captured.out), []);
  const undo = memoryIO();
  assert.equal(
    await runCli(
      [
        'watchdog',
        'undo',
        'wd-nope-1',
        '--ledger-namespace',
        namespace,
        '--kubeconfig',
        testKubeconfig(),
      ],
      undo.io,
    ),
    2,
  );
  assert.match(undo.captured.err, /no ledger entry wd-nope-1/);
});
