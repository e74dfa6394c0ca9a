// Start-up benchmark: how long `berth --version` and `berth audit` of one small file take next to a
// bare `node -e 0`, the floor any Node CLI pays. Runs the published entry (bin/berth.js, which
// loads the bundle `npm run build` writes). The commands are run interleaved, RUNS times each, so
// machine load hits them alike; medians are reported, and the ratio to `node -e 0`, with the load
// average before and after.
//
// NODE_EXTRA_CA_CERTS makes every Node process parse a certificate bundle at start (~60 ms of CPU
// on the team's machine): it raises `node -e 0` and berth alike and flatters the ratio. When it
// is set, every case is also run without it (figures marked "without NODE_EXTRA_CA_CERTS").
// STARTUP_BASELINE=<another checkout's bin/berth.js> adds that tree's two commands to the same
// interleaved runs (before/after figures, ADR 0165).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './measure.ts';

const RUNS = Number(process.env.STARTUP_RUNS ?? 21);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'berth.js');
if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
  throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');

const dir = mkdtempSync(join(tmpdir(), 'berth-startup-'));
const manifest = join(dir, 'deployment.yaml');
writeFileSync(
  manifest,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
`,
);

const baseline = process.env.STARTUP_BASELINE;
const commands: Record<string, readonly string[]> = {
  node: ['-e', '0'],
  version: [bin, '--version'],
  audit: [bin, 'audit', manifest, '--fail-on', 'none'],
  ...(baseline
    ? {
        'version (baseline)': [baseline, '--version'],
        'audit (baseline)': [baseline, 'audit', manifest, '--fail-on', 'none'],
      }
    : {}),
};

// The code cache of `berth audit` (ADR 0052) in a folder of this run: other builds audited on
// the same machine meanwhile cannot evict it (three builds are kept per cache folder).
const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
const { NODE_EXTRA_CA_CERTS: extraCerts, ...withoutCerts } = env;
const variants: Record<string, NodeJS.ProcessEnv> = {
  '': env,
  ...(extraCerts ? { ', without NODE_EXTRA_CA_CERTS': withoutCerts } : {}),
};
const cases = Object.entries(variants).flatMap(([variant, variantEnv]) =>
  Object.entries(commands).map(([name, args]) => ({ name, variant, args, env: variantEnv })),
);
type Case = (typeof cases)[number];

function once({ name, variant, args, env: caseEnv }: Case): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: dir, env: caseEnv });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${name}${variant} exited ${result.status}: ${result.stderr || result.stdout}`);
  return ms;
}

const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const times = new Map<Case, number[]>(cases.map((c) => [c, []]));
for (const c of cases) once(c); // warm the file cache and write the code caches
for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c)?.push(once(c));
rmSync(dir, { recursive: true, force: true });
const loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`startup: load average ${loadBefore} before, ${loadAfter} after`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const labels: Record<string, string> = {
  version: 'berth --version',
  audit: 'berth audit of one small file',
  'version (baseline)': 'baseline berth --version',
  'audit (baseline)': 'baseline berth audit of one small file',
};
for (const variant of Object.keys(variants)) {
  const of = (name: string): number => {
    const found = cases.find((c) => c.name === name && c.variant === variant);
    return median((found && times.get(found)) ?? []);
  };
  const node = of('node');
  for (const [name, label] of Object.entries(labels)) {
    if (!(name in commands)) continue;
    const ms = of(name);
    const metric = `${label}${variant}`;
    console.log(
      `startup: ${metric} ${ms.toFixed(0)} ms = ${(ms / node).toFixed(2)}x node -e 0 (${node.toFixed(0)} ms)`,
    );
    report({
      suite: 'startup',
      metric: `${metric}, wall, median of ${RUNS} (berth ÷ node = ${(ms / node).toFixed(2)}x)`,
      unit: 'ms',
      berth: ms,
      peer: 'node -e 0',
      peerValue: node,
      target: 'berth <= 1.3x node -e 0 (peer ÷ berth >= 0.77x)',
    });
  }
}
