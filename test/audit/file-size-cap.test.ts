// The size cap of one input file through the CLI: refused before reading, exit 2, the file named,
// no stack trace; --max-file-size raises it or (0) turns it off; stdin is capped too.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';

const configMap = (i: number) =>
  `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: shop\ndata:\n  k: v\n`;
// About 20 KiB of valid YAML.
const big = Array.from({ length: 250 }, (_, i) => configMap(i)).join('');

async function cli(args: string[], cwd: string, stdin?: string) {
  const { io, captured } = memoryIO({ cwd, stdin });
  const code = await runCli(['audit', '--include', 'invalid-object', ...args], io);
  return { code, out: captured.out, err: captured.err };
}

test('a file over --max-file-size is refused by name with exit 2; a higher cap or 0 reads it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-size-'));
  try {
    await writeFile(join(dir, 'big.yaml'), big);
    await writeFile(join(dir, 'small.yaml'), configMap(0));
    const refused = await cli(['--max-file-size', '0.01', '.'], dir);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /big\.yaml:1:1: the file is 0\.0\d\d MiB, over the 0\.010 MiB limit/);
    assert.match(refused.err, /--max-file-size/);
    assert.doesNotMatch(refused.err, /small\.yaml|\n\s+at /);
    for (const cap of ['1', '0']) {
      const read = await cli(['--max-file-size', cap, '.'], dir);
      assert.equal(read.code, 0, read.err);
    }
    assert.equal((await cli(['.'], dir)).code, 0, 'the default 64 MiB cap reads it');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('stdin over the cap is refused as <stdin>; a malformed size is a usage error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-size-'));
  try {
    const refused = await cli(['--max-file-size', '0.01', '-'], dir, big);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /<stdin>:1:1: the file is/);
    const usage = await cli(['--max-file-size', '64MB', '.'], dir);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--max-file-size 64MB: expected a size in MiB/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
