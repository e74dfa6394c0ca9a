// The published package: `npm pack`, install the tarball into an empty folder, run `berth --help`.
// Proves the package carries its bundle and runtime dependencies, and no TypeScript sources.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test(
  'npm pack installs into an empty folder and berth --help runs',
  { timeout: 240_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-pack-'));
    try {
      await run(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
      const packed = await run(
        npm,
        ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
        { cwd: root, timeout: 120_000, maxBuffer: 16 << 20 },
      );
      const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
      assert.ok(info, 'npm pack reports the tarball');
      const paths = info.files.map((f) => f.path);
      assert.ok(paths.includes('dist/cli/main.js'), 'the bundle is packed');
      assert.ok(paths.includes('sandbox/versions.json'), 'the sandbox build inputs are packed');
      assert.deepEqual(
        paths.filter((p) => p.startsWith('src/') || p.endsWith('.ts')),
        [],
        'no TypeScript sources are packed',
      );

      const app = join(dir, 'app');
      await mkdir(app);
      await run(
        npm,
        ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, info.filename)],
        { cwd: app, timeout: 180_000, maxBuffer: 16 << 20 },
      );
      const installed = await readdir(join(app, 'node_modules'));
      assert.ok(!installed.includes('tsx'), 'tsx is not a runtime dependency');
      assert.ok(!installed.includes('ajv'), 'ajv is not a runtime dependency');

      const bin = join(app, 'node_modules', '.bin', 'berth');
      const help = await run(bin, ['--help'], { cwd: app, timeout: 30_000 });
      assert.match(help.stdout, /^Usage: berth/);
      for (const command of ['validate', 'render', 'audit', 'apply', 'up'])
        assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`), `--help lists ${command}`);
      const version = await run(bin, ['--version'], { cwd: app, timeout: 30_000 });
      assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);

      // `berth audit` runs dist/cli/run.cjs with a V8 code cache (ADR 0052): the first run writes
      // the cache, the second runs from it; both fix a file (the atomic writer loads node:crypto
      // on demand, which must work in a script compiled from a cache) and agree.
      const cacheHome = join(dir, 'cache');
      const manifest =
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27.3\n';
      const outputs: string[] = [];
      for (const round of [1, 2]) {
        await writeFile(join(app, 'pod.yaml'), manifest);
        const audit = await run(bin, ['audit', 'pod.yaml', '--fix', '--fail-on', 'none'], {
          cwd: app,
          timeout: 60_000,
          env: { ...process.env, XDG_CACHE_HOME: cacheHome },
        });
        outputs.push(`${audit.stdout}${await readFile(join(app, 'pod.yaml'), 'utf8')}`);
        assert.deepEqual(
          await readdir(join(cacheHome, 'berth', 'code')).then((f) => f.length),
          1,
          `round ${round}: one cache file`,
        );
      }
      assert.equal(outputs[1], outputs[0], 'the cached run prints and fixes the same');
      assert.match(outputs[0] ?? '', /seccompProfile/, 'the fix was written');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
