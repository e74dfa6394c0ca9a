// `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory is its own),
// prints their figures, and writes bench/RESULTS.md.
//
// Protocol: a bench script prints whatever it likes, and one line per figure of the form
//   BENCH {"suite":"render","metric":"wall time, 1000 agents","unit":"ms","berth":412,
//          "peer":"cdk8s-plus-33","peerValue":2310,"target":"< 1000 ms, >= 5x faster"}
// `ratio` is computed here as peerValue / berth (how many times better berth is), for
// figures where lower is better.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);
const scripts = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const figures = [];
let failed = false;
for (const script of scripts) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join('bench', script)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('BENCH ')) figures.push(JSON.parse(line.slice(6)));
    else if (line.trim() !== '') console.log(line);
  }
  if (result.status !== 0) {
    failed = true;
    console.log(`!! ${script} exited with ${result.status}`);
  }
}

const fmt = (v, unit) =>
  v === undefined || v === null ? '–' : `${Math.round(v * 10) / 10} ${unit}`;
const rows = figures.map((f) => {
  const ratio = f.peerValue && f.berth ? (f.peerValue / f.berth).toFixed(2) + 'x' : '–';
  return `| ${f.suite} | ${f.metric} | ${fmt(f.berth, f.unit)} | ${f.peer ?? '–'} | ${fmt(f.peerValue, f.unit)} | ${ratio} | ${f.target ?? ''} |`;
});
const table = [
  '| suite | figure | berth | peer | peer figure | peer ÷ berth | target |',
  '|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(`\n${table}`);
if (only.length === 0) {
  const machine = `${process.platform} ${process.arch}, Node ${process.version}`;
  writeFileSync(
    join(root, 'bench', 'RESULTS.md'),
    `# Benchmark results\n\nLatest \`npm run bench\` (${machine}, ${new Date().toISOString().slice(0, 10)}). ` +
      `Ratios are peer ÷ berth for figures where lower is better: above 1x, berth is ahead.\n\n${table}\n`,
  );
}
process.exit(failed ? 1 : 0);
