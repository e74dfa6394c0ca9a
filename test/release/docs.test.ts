// docs/release.md against the code: every release command and every one of its flags is
// documented, and the apply flags that make a release too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import type { ActionRunner } from '../../src/cli/command.ts';
import { commands } from '../../src/cli/commands/index.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'release.md'), 'utf8');
const run: ActionRunner = () => () => Promise.resolve();
const common = new Set(['--kubeconfig', '--context', '--output', '--timeout', '--help']);
const releaseCommands = [
  'diff',
  'history',
  'rollback',
  'status',
  'scale',
  'upgrade',
  'restart',
  'logs',
];
const applyReleaseFlags = [
  '--atomic',
  '--no-prune',
  '--prune-volumes',
  '--history-max',
  '--force-unlock',
  '--release',
];

for (const name of releaseCommands) {
  test(`docs/release.md documents berth ${name} and its flags`, async () => {
    const entry = commands.find((c) => c.name === name);
    assert.ok(entry, `${name} is registered`);
    const program = new Command('berth');
    (await entry.load()).register(program, run);
    const command = program.commands.find((c) => c.name() === name);
    assert.ok(command);
    assert.ok(doc.includes(`berth ${name}`), `berth ${name} is in docs/release.md`);
    const chart = new Set(['--values', '--set', '--kube-version', '--release', '--namespace']);
    for (const option of command.options) {
      const flag = option.long ?? '';
      if (common.has(flag) || (name === 'diff' && chart.has(flag))) continue;
      assert.ok(doc.includes(flag), `${name} ${flag} is documented in docs/release.md`);
    }
  });
}

test('docs/release.md documents the release flags of berth apply', async () => {
  const entry = commands.find((c) => c.name === 'apply');
  assert.ok(entry);
  const program = new Command('berth');
  (await entry.load()).register(program, run);
  const flags = program.commands[0]?.options.map((o) => o.long) ?? [];
  for (const flag of applyReleaseFlags) {
    assert.ok(flags.includes(flag), `apply has ${flag}`);
    assert.ok(doc.includes(flag), `${flag} is documented`);
  }
});
