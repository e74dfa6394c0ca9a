// Apply benchmark: the vapora example applied and Ready on the sandbox, by `berth apply --wait`
// against `kubectl apply -f` + `kubectl rollout status -f` on the same rendered files and the
// same sandbox, in the same run. Each round uses fresh namespaces (the rendered namespaces with
// a suffix), so both tools create everything from scratch. Whole-process wall times.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureProcess, report } from './measure.ts';
import { renderWorkspace, toYamlStream } from '../src/render/index.ts';
import { sandboxStatus, startSandbox } from '../src/sandbox/index.ts';
import { relocate } from '../test/deploy/relocate.ts';
import { loadWorkspace } from '../src/spec/adapters/files.ts';

const rounds = Number(process.env.BERTH_BENCH_ROUNDS ?? 3);
const root = join(import.meta.dirname, '..');
const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet'];

const sandbox = await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) });
const kubeconfig = sandbox.kubeconfig;
const cachedKubectl = join((await sandboxStatus()).binDir, 'kubectl');
const kubectl = existsSync(cachedKubectl) ? cachedKubectl : 'kubectl';
if (kubectl === 'kubectl')
  console.log('note: the sandbox cache has no kubectl; using kubectl from PATH');

const rendered = renderWorkspace(await loadWorkspace(join(root, 'examples', 'vapora')));
const namespaces = rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
console.log(
  `vapora: ${rendered.length} objects, ${rendered.filter((o) => workloadKinds.includes(o.kind)).length} workloads, namespaces ${namespaces.join(', ')}`,
);

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-apply-'));
function writeRound(suffix: string): { all: string; workloads: string } {
  const objects = relocate(rendered, suffix);
  const all = join(dir, `${suffix}.yaml`);
  const workloads = join(dir, `${suffix}-workloads.yaml`);
  writeFileSync(all, toYamlStream(objects));
  writeFileSync(workloads, toYamlStream(objects.filter((o) => workloadKinds.includes(o.kind))));
  return { all, workloads };
}

const env = { ...process.env, KUBECONFIG: kubeconfig };
const berthTimes: number[] = [];
/** berth's own report of apply + wait (`elapsedMs`), without process start-up. */
const berthInner: number[] = [];
const kubectlTimes: number[] = [];
const stamp = Date.now().toString(36);

/** Deletes a round's namespaces and waits until they are gone (not timed), freeing the nodes. */
function cleanUp(suffix: string): void {
  const names = namespaces.map((ns) => `${ns}-${suffix}`);
  const del = measureProcess(kubectl, ['delete', 'namespace', '--timeout=180s', ...names], { env });
  if (del.status !== 0) console.log(`note: cleanup of ${names.join(', ')} failed: ${del.stderr}`);
}

// The compiled CLI (npm run bench builds it first), so a source file edited meanwhile does not
// switch bin/berth.js to the slower TypeScript path.
const builtCli = join(root, 'dist', 'cli', 'main.js');
const berthEntry = existsSync(builtCli) ? builtCli : join(root, 'bin', 'berth.js');

function runBerth(file: string): number {
  const run = measureProcess(
    process.execPath,
    [berthEntry, 'apply', file, '--wait', '--timeout', '5m', '-o', 'json'],
    { env, cwd: root },
  );
  if (run.status !== 0)
    throw new Error(`berth apply failed:\n${run.stdout.slice(-3000)}\n${run.stderr}`);
  berthInner.push((JSON.parse(run.stdout) as { elapsedMs: number }).elapsedMs);
  return run.ms;
}

function runKubectl(files: { all: string; workloads: string }): number {
  const apply = measureProcess(kubectl, ['apply', '-f', files.all], { env });
  if (apply.status !== 0) throw new Error(`kubectl apply failed:\n${apply.stderr}`);
  const rollout = measureProcess(
    kubectl,
    ['rollout', 'status', '-f', files.workloads, '--timeout=5m'],
    { env },
  );
  if (rollout.status !== 0) throw new Error(`kubectl rollout status failed:\n${rollout.stderr}`);
  return apply.ms + rollout.ms;
}

// berth's own start-up, for the record: node, the CLI and its imports (no cluster call).
const startup = measureProcess(process.execPath, [berthEntry, '--version'], {
  cwd: root,
});
console.log(`berth start-up (berth --version): ${Math.round(startup.ms)} ms`);
// Where start-up goes: every command module is imported when the CLI starts.
const importMs = (module: string): number =>
  measureProcess(
    process.execPath,
    ['--input-type=module', '-e', `await import(${JSON.stringify(module)})`],
    {
      cwd: root,
    },
  ).ms;
const bare = measureProcess(process.execPath, ['-e', '0']).ms;
for (const command of ['apply', 'sandbox', 'audit']) {
  const file = join(root, 'dist', 'cli', 'commands', `${command}.js`);
  if (existsSync(file))
    console.log(
      `  importing the ${command} command: ${Math.round(importMs(file) - bare)} ms over bare node`,
    );
}

for (let i = 0; i < rounds; i++) {
  // Alternate who goes first, so a warm cache or a busy controller does not favour one tool.
  const order = i % 2 === 0 ? ['berth', 'kubectl'] : ['kubectl', 'berth'];
  for (const tool of order) {
    const suffix = `b${stamp}${i}${tool[0]}`;
    const files = writeRound(suffix);
    try {
      if (tool === 'berth') berthTimes.push(runBerth(files.all));
      else kubectlTimes.push(runKubectl(files));
    } finally {
      cleanUp(suffix);
    }
  }
  console.log(
    `round ${i + 1}: berth ${Math.round(berthTimes[i] ?? 0)} ms, kubectl ${Math.round(kubectlTimes[i] ?? 0)} ms`,
  );
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const berthMs = median(berthTimes);
const kubectlMs = median(kubectlTimes);
console.log(
  `berth ${Math.round(berthMs)} ms vs kubectl ${Math.round(kubectlMs)} ms: ratio ${(kubectlMs / berthMs).toFixed(2)}x`,
);
report({
  suite: 'apply',
  metric: `vapora applied and Ready, berth's own apply + wait time (no process start-up), median of ${rounds}`,
  unit: 'ms',
  berth: median(berthInner),
  peer: 'kubectl apply -f + kubectl rollout status -f (whole processes)',
  peerValue: kubectlMs,
  target: 'berth no slower than kubectl',
});
report({
  suite: 'apply',
  metric: `vapora (${rendered.length} objects) applied and Ready on the sandbox, whole process, median of ${rounds}`,
  unit: 'ms',
  berth: berthMs,
  peer: 'kubectl apply -f + kubectl rollout status -f',
  peerValue: kubectlMs,
  target: 'berth no slower than kubectl',
});
