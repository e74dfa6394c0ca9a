// A reader that closes the pipe early (`berth render | head -1`) must end berth quietly: exit 0,
// nothing on stderr (no EPIPE stack trace).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

test('berth render piped into a reader that stops early exits 0 without a stack trace', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'render', 'examples/vapora'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
  );
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.match(first, /apiVersion/);
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
