// Bounded, seeded fuzzing of `berth audit`: mutated copies of the fixtures and examples (YAML)
// never cause an internal error. Every outcome is findings with a position and an exit code in
// {0, 1, 2}, or a BerthError (printed by the CLI as file:line: message, no stack trace).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';
import { BerthError } from '../../src/errors.ts';

const root = join(import.meta.dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

let seed = 42;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const below = (n: number): number => Math.floor(random() * n);

const tokens = [
  '*a',
  '&a ',
  '*missing',
  '<<: *a',
  ': ',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '\t',
  '---\n',
  '...\n',
  '"',
  "'",
  '#',
  '!!binary ',
  '!!str ',
  '? ',
  '|',
  '>-',
  '%YAML 1.2\n',
  'null',
  '~',
  '99999999999999999999',
  '-0',
  '.nan',
  'true',
  'y',
  '0x1F',
  '1e309',
  '\u0000',
  '\uFEFF',
  'é',
  '\r',
  'kind: List\nitems: [1]\n',
];

function mutate(text: string): string {
  let out = text;
  for (let n = 1 + below(3); n > 0; n--) {
    const lines = out.split('\n');
    const at = below(Math.max(1, out.length));
    switch (below(7)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + below(8));
        break;
      case 1:
        out = out.slice(0, at) + (tokens[below(tokens.length)] ?? '') + out.slice(at);
        break;
      case 2: {
        const i = below(lines.length);
        lines.splice(i, 0, lines[i] ?? '');
        out = lines.join('\n');
        break;
      }
      case 3: {
        const i = below(lines.length);
        const j = below(lines.length);
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        out = lines.join('\n');
        break;
      }
      case 4: {
        const i = below(lines.length);
        lines[i] = (random() < 0.5 ? '  ' : '') + (lines[i] ?? '').replace(/^ {1,2}/, '');
        out = lines.join('\n');
        break;
      }
      case 5:
        out = out.slice(0, at);
        break;
      default:
        out = out.replace(/: (\S+)/, random() < 0.5 ? ': [$1]' : ': {a: $1}');
    }
  }
  return out;
}

test('2,000 mutated inputs: no internal error, a position on every finding, exit 0, 1 or 2', async () => {
  const corpus = [
    ...yamlFiles(join(root, 'test', 'audit', 'fixtures')),
    ...yamlFiles(join(root, 'examples')),
  ].map((f) => readFileSync(f, 'utf8'));
  assert.ok(corpus.length > 50);
  const started = Date.now();
  let berthErrors = 0;
  const exits = [0, 0, 0];
  for (let i = 0; i < 2000; i++) {
    const input = mutate(corpus[below(corpus.length)] ?? '');
    try {
      const outcome = await audit({
        paths: ['-'],
        cwd: root,
        readStdin: () => Promise.resolve(input),
        today: '2026-01-01',
        version: 'fuzz',
        config: join(root, 'test', 'audit', 'fixtures', 'no-such-config.yaml').replace(
          /.*/,
          '/dev/null',
        ),
      });
      assert.ok([0, 1, 2].includes(outcome.exit));
      exits[outcome.exit] = (exits[outcome.exit] ?? 0) + 1;
      for (const f of outcome.findings)
        assert.ok(
          f.file !== '' && Number.isInteger(f.line) && f.line >= 1,
          `${f.check} at ${f.file}:${f.line}`,
        );
    } catch (error) {
      if (!(error instanceof BerthError)) {
        assert.fail(
          `input ${i} caused an internal error: ${String(error)}\n--- input ---\n${input.slice(0, 2000)}`,
        );
      }
      berthErrors++;
    }
  }
  assert.ok(Date.now() - started < 60_000, 'the fuzz run stays under a minute');
  assert.ok(berthErrors < 2000, 'most inputs are audited, not refused');
  // The mutations reach every outcome: clean, findings, and invalid input.
  assert.ok(
    exits.every((n) => n > 0),
    `exit codes seen: ${exits.join(', ')}`,
  );
});
