// How the built CLI starts (ADR 0165): bin/berth.js is CommonJS and runs dist/cli/start.cjs, which
// answers `--version` and runs `audit` from run.cjs without Node's ES-module loader; every other
// command goes on to the ES-module entry dist/cli/main.js. scripts/test.mjs builds dist/ first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { version } from '../../src/cli/version.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'berth.js');

interface Started {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Node's list of the built-in modules the process loaded (`process.moduleLoadList`). */
  builtins: string[];
}

/** Runs bin/berth.js with `args` in a fresh folder; records which built-ins the process loaded. */
function start(args: string[], env: Record<string, string> = {}): Started {
  const dir = mkdtempSync(join(tmpdir(), 'berth-start-'));
  try {
    const hook = join(dir, 'hook.cjs');
    const list = join(dir, 'builtins.txt');
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
    );
    writeFileSync(
      join(dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27.3\n',
    );
    const result = spawnSync(process.execPath, ['--require', hook, bin, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), ...env },
    });
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      builtins: readFileSync(list, 'utf8').split('\n'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loaded only when an ES module is: the loader's job for one module. */
const esModuleLoader = 'NativeModule internal/modules/esm/module_job';

test('berth --version answers from start.cjs, without the ES-module loader', () => {
  const run = start(['--version']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${version}\n`);
  assert.ok(!run.builtins.includes(esModuleLoader), 'no ES module was loaded');
  assert.ok(!run.builtins.includes('NativeModule v8'), 'node:v8 is loaded for audit only');
});

test('berth audit of one file runs run.cjs without the ES-module loader, cold and cached', () => {
  for (const round of ['cold', 'cached']) {
    const run = start(['audit', 'pod.yaml', '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.status, 0, `${round}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { summary: { objects: number } };
    assert.equal(report.summary.objects, 1, round);
    assert.ok(!run.builtins.includes(esModuleLoader), `${round}: no ES module was loaded`);
    assert.ok(run.builtins.includes('NativeModule vm'), `${round}: run.cjs ran through vm.Script`);
  }
});

test('berth audit exits with the audit exit code (findings at --fail-on)', () => {
  const run = start(['audit', 'pod.yaml']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /pod\.yaml:\d+: error /);
});

test('other commands go on to the ES-module entry main.js', () => {
  const run = start(['--help']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^Usage: berth/);
  assert.ok(run.builtins.includes(esModuleLoader), 'main.js was imported');
  const unknown = start(['no-such-command']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^error: /);
});

test('BERTH_CODE_CACHE=0 audits through main.js (the ES-module path)', () => {
  const run = start(['audit', 'pod.yaml', '--fail-on', 'none'], { BERTH_CODE_CACHE: '0' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /1 objects/);
  assert.ok(run.builtins.includes(esModuleLoader));
});

test('BERTH_FROM_SOURCE=1 runs the TypeScript sources', () => {
  const run = start(['--version'], { BERTH_FROM_SOURCE: '1' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${version}\n`);
  assert.ok(run.builtins.includes(esModuleLoader), 'tsx loaded the sources as ES modules');
});

test('run.cjs and start.cjs are ASCII only (V8 reads them as one-byte strings)', () => {
  for (const file of ['run.cjs', 'start.cjs']) {
    const bytes = readFileSync(join(root, 'dist', 'cli', file));
    const wide = bytes.findIndex((byte) => byte > 0x7f);
    assert.equal(wide, -1, `${file}: a non-ASCII byte at offset ${wide}`);
  }
});
