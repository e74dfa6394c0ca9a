import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import type { ActionRunner } from '../command.ts';
import { commands } from './index.ts';

const run: ActionRunner = () => () => Promise.resolve();

for (const entry of commands) {
  test(`command registry: ${entry.name} loads, and its summary is its description`, async () => {
    const program = new Command('berth');
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    command.register(program, run);
    const registered = program.commands.find((c) => c.name() === entry.name);
    assert.ok(registered, `${entry.name} registers a command of that name`);
    assert.equal(entry.summary, registered.description());
  });
}

test('command registry: names are unique', () => {
  const names = commands.map((c) => c.name);
  assert.deepEqual(names, [...new Set(names)]);
});
