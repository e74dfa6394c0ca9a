// The YAML emitter (ADR 0014) against the `yaml` library's stringify, on the objects of the
// 1,000-agent render: time for the whole stream, median of RUNS alternating runs, and whether the
// two outputs read back to the same objects.
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { renderWorkspace, toYamlStream } from '../src/render/index.ts';
import { validateWorkspace } from '../src/spec/index.ts';
import { parseYamlStream } from '../src/yaml/stream.ts';
import { report } from './measure.ts';
import { generatedWorkspace } from './render-workspace.ts';

const AGENTS = 1000;
const RUNS = 5;
const { workspace } = validateWorkspace([parseYamlStream(generatedWorkspace(AGENTS), 'g.yaml')]);
if (!workspace) throw new Error('the generated workspace does not validate');
const objects = renderWorkspace(workspace);

const berth = () => toYamlStream(objects);
const library = () => objects.map((o) => stringify(o)).join('---\n');

const times = { berth: [] as number[], library: [] as number[] };
let outputs = { berth: '', library: '' };
for (let i = 0; i < RUNS; i++) {
  for (const side of ['berth', 'library'] as const) {
    const start = performance.now();
    outputs = { ...outputs, [side]: side === 'berth' ? berth() : library() };
    times[side].push(performance.now() - start);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const read = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);
const same = isDeepStrictEqual(read(outputs.berth), read(outputs.library));
const ratio = median(times.library) / median(times.berth);
console.log(
  `yaml-emitter: ${objects.length} objects; berth ${median(times.berth).toFixed(0)} ms, yaml.stringify ${median(times.library).toFixed(0)} ms (${ratio.toFixed(1)}x); same objects read back: ${same}`,
);
report({
  suite: 'yaml-emitter',
  metric: `YAML stream of ${objects.length} objects (same objects read back: ${same ? 'yes' : 'NO'})`,
  unit: 'ms',
  berth: median(times.berth),
  peer: 'yaml.stringify (eemeli/yaml)',
  peerValue: median(times.library),
  target: 'keep the emitter while >= 10x faster and the same objects (ADR 0014)',
});
