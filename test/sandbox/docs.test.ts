// docs/sandbox.md documents every `berth sandbox` command and each of its options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';

const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'sandbox.md'), 'utf8');

test('docs/sandbox.md lists every berth sandbox command with its options', async () => {
  const program = await buildProgram(memoryIO().io, () => undefined);
  const sandbox = program.commands.find((c) => c.name() === 'sandbox');
  assert.ok(sandbox, 'berth sandbox is registered');
  const visible = sandbox.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden);
  assert.ok(visible.length >= 5);
  for (const command of visible) {
    const row = docs
      .split('\n')
      .find((l) => l.startsWith(`| \`berth sandbox ${command.name()}\` |`));
    assert.ok(row, `docs/sandbox.md has no row for berth sandbox ${command.name()}`);
    for (const option of command.options)
      assert.ok(
        row.includes(option.long ?? ''),
        `${command.name()} ${option.long} is not documented`,
      );
  }
});
