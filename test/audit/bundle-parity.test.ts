// The built CLI (`npm run build`; scripts/test.mjs builds before these tests) audits exactly as the
// sources do: dist/cli/run.cjs with its code cache (cold, then warm), the ES-module path
// (BERTH_CODE_CACHE=0), and `audit()` from the sources print the same bytes. The bundle differs from
// the sources where the build packs the schema tables to parse lazily (ADR 0130) and where
// main.js tunes V8 for the audit (ADR 0131); this is the test that those stay invisible.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { audit } from '../../src/audit/audit.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'cli', 'main.js');

const cases: { name: string; args: string[] }[] = [
  {
    name: 'schema errors, every check, JSON',
    args: ['test/audit/fixtures/checks', '--format', 'json'],
  },
  {
    name: 'custom resources against --crd schemas, SARIF',
    args: ['sandbox/manifests', '--crd', 'sandbox/manifests/crds', '--format', 'sarif'],
  },
  {
    name: 'an older --kube-version (another packed table), text',
    args: ['test/audit/fixtures/kube-version', '--kube-version', '1.24'],
  },
];

/** stdout and exit code of the built CLI. */
async function cli(args: string[], env: Record<string, string>): Promise<[string, number]> {
  try {
    const result = await run(process.execPath, [main, 'audit', ...args, '--fail-on', 'none'], {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 64 << 20,
    });
    return [result.stdout, 0];
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    if (typeof failed.code !== 'number' || failed.stderr) throw error;
    return [failed.stdout ?? '', failed.code];
  }
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

test('dist/ is built (npm run build; scripts/test.mjs builds before the tests)', () => {
  assert.ok(existsSync(main), `${main} is missing`);
});

for (const { name, args } of cases) {
  test(`built CLI = sources: ${name}`, { timeout: 120_000 }, async () => {
    const cache = await mkdtemp(join(tmpdir(), 'berth-parity-'));
    try {
      const format = (flag(args, '--format') ?? 'text') as 'text' | 'json' | 'sarif';
      const crd = flag(args, '--crd');
      const kubeVersion = flag(args, '--kube-version');
      const expected = await audit({
        paths: [args[0] ?? '.'],
        cwd: root,
        readStdin: () => Promise.resolve(''),
        format,
        failOn: 'none',
        ...(crd ? { crd: [crd] } : {}),
        ...(kubeVersion ? { kubeVersion } : {}),
        version: (await import('../../src/cli/version.ts')).version,
      });
      assert.ok(expected.findings.length > 0, 'the case has findings to compare');
      const cold = await cli(args, { XDG_CACHE_HOME: cache });
      const warm = await cli(args, { XDG_CACHE_HOME: cache });
      const esm = await cli(args, { BERTH_CODE_CACHE: '0' });
      const want: [string, number] = [expected.output, expected.exit];
      assert.deepEqual(cold, want, 'run.cjs, no code cache yet');
      assert.deepEqual(warm, want, 'run.cjs from its code cache');
      assert.deepEqual(esm, want, 'the ES-module path');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
}
