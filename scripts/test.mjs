// Runs the whole suite with node's test runner: unit tests (src/**/*.test.ts) and the
// end-to-end and integration tests (test/**/*.test.ts). `--unit` runs only the unit tests.
// Extra arguments are passed to `node --test` (for example --test-name-pattern).
//
// Integration tests need a cluster. Unless BERTH_TEST_KUBECONFIG names one already, this script
// starts a sandbox cluster of its own (`berth sandbox up --name test-<pid>`) before the tests,
// passes its kubeconfig in BERTH_TEST_KUBECONFIG, and stops and purges it afterwards (also on
// Ctrl-C). If the sandbox cannot start, the tests still run, the integration tests fail with the
// sandbox's error (BERTH_TEST_SANDBOX_ERROR: component and log file), and the run fails.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const berth = join(root, 'bin', 'berth.js');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const passThrough = args.filter((a) => a !== '--unit');

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

/** Runs a command; resolves with its exit code and captured stdout (stderr is passed through). */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: root,
      stdio: ['ignore', options.capture ? 'pipe' : 'inherit', options.stderr ?? 'inherit'],
      env: options.env ?? process.env,
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out, err }));
  });
}

// The state folder of sandboxes, as src/sandbox/paths.ts resolves it.
function sandboxStateRoot() {
  const env = process.env;
  if (env.BERTH_SANDBOX_STATE) return env.BERTH_SANDBOX_STATE;
  const base = env.XDG_STATE_HOME || join(env.HOME ?? '', '.local', 'state');
  return join(base, 'berth', 'sandbox');
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Stops test sandboxes left behind by runs that were killed (their test.mjs pid is gone). */
async function pruneStaleTestSandboxes() {
  const dir = sandboxStateRoot();
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const match = /^test-(\d+)$/.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    console.error(`test: stopping sandbox ${name} left by an earlier run`);
    await run(process.execPath, [berth, 'sandbox', 'down', '--name', name, '--purge']);
  }
}

async function startTestSandbox(name) {
  console.error(`test: starting sandbox cluster "${name}" for the integration tests`);
  const result = await run(
    process.execPath,
    [berth, 'sandbox', 'up', '--name', name, '--output', 'json', '--timeout', '180s'],
    { capture: true, stderr: 'pipe' },
  );
  process.stderr.write(
    result.err
      .split('\n')
      .filter((l) => l && !l.startsWith('npm warn'))
      .map((l) => `test:   ${l}\n`)
      .join(''),
  );
  if (result.code !== 0) {
    const message = result.err.trim() || `berth sandbox up exited ${result.code}`;
    return { error: message };
  }
  const { kubeconfig, elapsedMs } = JSON.parse(result.out);
  console.error(`test: sandbox up in ${(elapsedMs / 1000).toFixed(1)} s, kubeconfig ${kubeconfig}`);
  return { kubeconfig };
}

const roots = unitOnly ? ['src'] : ['src', 'test'];
const files = roots.flatMap((r) => findTests(join(root, r))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// Tests that run the CLI as a program (bin/berth.js) run the bundle: build it first (about a
// second), so they never run a stale dist/.
if (!unitOnly) {
  const built = await run(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    capture: true,
    stderr: 'pipe',
  });
  if (built.code !== 0) {
    console.error(`test: npm run build failed:\n${built.err}`);
    process.exit(1);
  }
}

const env = { ...process.env };
let sandboxName;
let sandboxFailed = false;
if (!unitOnly && !env.BERTH_TEST_KUBECONFIG) {
  await pruneStaleTestSandboxes();
  sandboxName = `test-${process.pid}`;
  const started = await startTestSandbox(sandboxName);
  if (started.kubeconfig) env.BERTH_TEST_KUBECONFIG = started.kubeconfig;
  else {
    sandboxFailed = true;
    env.BERTH_TEST_SANDBOX_ERROR = started.error;
    console.error(
      `test: THE SANDBOX CLUSTER DID NOT START; integration tests will fail:\n${started.error}`,
    );
  }
}

let stopping;
async function stopTestSandbox() {
  if (!sandboxName) return 0;
  stopping ??= (async () => {
    // Keep the run folder (logs) of a sandbox that failed to start, for diagnosis.
    const purge = sandboxFailed ? [] : ['--purge'];
    const result = await run(process.execPath, [
      berth,
      'sandbox',
      'down',
      '--name',
      sandboxName,
      ...purge,
    ]);
    if (result.code !== 0) console.error(`test: stopping sandbox ${sandboxName} failed`);
    return result.code;
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`test: ${signal}: stopping the sandbox`);
    void stopTestSandbox().then(() => process.exit(130));
  });
}

const result = await run(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...passThrough, ...files],
  { env },
);
const stopCode = await stopTestSandbox();
process.exit(result.code !== 0 ? result.code : sandboxFailed || stopCode !== 0 ? 1 : 0);
