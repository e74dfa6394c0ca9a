// The block reader against js-yaml (ADR 0160): wherever the block reader accepts a text, its
// values and the span of every collection must be exactly js-yaml's; outside its subset it gives
// up. Checked over a table of edge cases, every YAML file of the repository, the bench corpus
// generator, seeded mutations of all of those, and generated layouts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { writeAuditCorpus } from '../../bench/audit-corpus.ts';
import { readBlockYaml } from './block-yaml.ts';
import { readJsYaml } from './fast-yaml.ts';
import { newSpans, spanOf } from './yaml-spans.ts';

/** 'same', 'outside' (the block reader gave up), or what differs from js-yaml. */
function compare(text: string): string {
  const block = newSpans();
  const fromBlock = readBlockYaml(text, block);
  if (!fromBlock) return 'outside';
  const js = newSpans();
  const fromJs = readJsYaml(text, js);
  if (!fromJs) return 'accepted a text js-yaml refuses';
  if (!isDeepStrictEqual(fromBlock, fromJs) || JSON.stringify(fromBlock) !== JSON.stringify(fromJs))
    return `values differ: ${JSON.stringify(fromBlock)} vs ${JSON.stringify(fromJs)}`;
  const pairs = new Map<object, unknown>();
  const walk = (a: unknown, b: unknown, path: string): string | undefined => {
    if (typeof a !== 'object' || a === null) return undefined;
    if (pairs.has(a)) return pairs.get(a) === b ? undefined : `alias identity at ${path}`;
    pairs.set(a, b);
    const [x, y] = [JSON.stringify(spanOf(block, a)), JSON.stringify(spanOf(js, b))];
    if (x !== y) return `span of ${path}: ${x} vs js-yaml ${y}`;
    for (const key of Object.keys(a)) {
      const r = walk(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}/${key}`,
      );
      if (r) return r;
    }
    return undefined;
  };
  for (let i = 0; i < fromBlock.length; i++) {
    const r = walk(fromBlock[i], fromJs[i], `#${i}`);
    if (r) return r;
  }
  return 'same';
}

const root = join(import.meta.dirname, '..', '..');

/** A linear congruential generator: the same inputs at every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const tokens = [
  '*a',
  '&a ',
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
  ' #',
  '!!str ',
  '? ',
  '|',
  '>-',
  '%YAML 1.2\n',
  'null',
  '~',
  '-0',
  '.nan',
  'true',
  '0x1F',
  '1e3',
  '\r\n',
  '\n',
  '  ',
  ' ',
  ':',
  '-',
  ',',
  '\\',
  '\u00e9',
  'a: b\n',
];

/** One random edit: insert a YAML token, delete a span, or re-indent a line. */
function mutate(text: string, random: () => number): string {
  let out = text;
  for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.5) out = out.slice(0, at) + pick(random, tokens) + out.slice(at);
    else if (kind < 0.75) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 4));
    else {
      const start = out.lastIndexOf('\n', at - 1) + 1;
      out =
        random() < 0.5
          ? `${out.slice(0, start)} ${out.slice(start)}`
          : out.slice(0, start) + out.slice(start + 1);
    }
  }
  return out;
}

const scalars = [
  'x',
  'two words',
  'nginx:1.27',
  'http://h:80/p#f',
  '80',
  '-1',
  '0x1F',
  '0o17',
  '1.5',
  '.5',
  '1e3',
  '.inf',
  '-.Inf',
  '.NaN',
  'true',
  'False',
  'null',
  '~',
  'NULL',
  '2026-01-01',
  '12:30',
  'a#b',
  "'q'",
  "'it''s'",
  '"d q"',
  '"#"',
  "''",
  '""',
  '100m',
  '-',
  '<<',
  'y',
  'on',
];
const keys = ['a', 'name', 'b c', 'x.y/z', '1', 'true', 'null', '"q k"', "'s k'", 'k-1', '0x1'];

/**
 * A random stream in (mostly) the block subset: nested mappings and sequences, both sequence
 * indentations, `{}`/`[]`/flow sequences, anchors and aliases, comments and blank lines anywhere,
 * trailing spaces, document markers, with or without a final newline.
 */
function generateLayout(random: () => number): string {
  const lines: string[] = [];
  const anchors: string[] = [];
  const comment = (indent: number): void => {
    if (random() < 0.1) lines.push(`${' '.repeat(Math.floor(random() * (indent + 3)))}# c`);
    if (random() < 0.05) lines.push(random() < 0.5 ? '' : '   ');
  };
  const tail = (): string => (random() < 0.1 ? ' # t' : random() < 0.05 ? '  ' : '');
  const inline = (): string => {
    const r = random();
    if (r < 0.06) return '{}';
    if (r < 0.12) return '[]';
    if (r < 0.2) return `[${pick(random, scalars)}, ${pick(random, scalars)}]`;
    if (r < 0.25 && anchors.length > 0) return `*${pick(random, anchors)}`;
    return pick(random, scalars);
  };
  const step = random() < 0.5 ? 2 : 4;
  const block = (indent: number, depth: number, first: string | undefined): void => {
    const sequence = random() < 0.3;
    const count = 1 + Math.floor(random() * 4);
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const lead = i === 0 && first !== undefined ? first : ' '.repeat(indent);
      comment(indent);
      const nest = depth < 4 && random() < 0.35;
      if (sequence) {
        if (nest && random() < 0.7) block(indent + 2, depth + 1, `${lead}- `);
        else lines.push(`${lead}- ${inline()}${tail()}`);
        continue;
      }
      let key = pick(random, keys);
      if (used.has(key) && random() < 0.9) key = `k${i}`;
      used.add(key);
      if (random() < 0.03) key += '  ';
      if (!nest) {
        lines.push(`${lead}${key}: ${inline()}${tail()}`);
        continue;
      }
      const anchor = random() < 0.15 ? `a${anchors.length}` : undefined;
      lines.push(`${lead}${key}:${anchor ? ` &${anchor}` : ''}${tail()}`);
      const inner = random() < 0.3 ? indent : indent + step;
      if (inner === indent) {
        const count2 = 1 + Math.floor(random() * 3);
        for (let j = 0; j < count2; j++) lines.push(`${' '.repeat(indent)}- ${inline()}${tail()}`);
      } else block(inner, depth + 1, undefined);
      if (anchor) anchors.push(anchor);
    }
  };
  const documents = 1 + Math.floor(random() * 3);
  if (random() < 0.3) lines.push('---');
  for (let d = 0; d < documents; d++) {
    if (d > 0) lines.push(random() < 0.9 ? '---' : '--- # doc');
    anchors.length = 0;
    if (random() < 0.05) continue;
    block(0, 0, undefined);
  }
  return lines.join('\n') + (random() < 0.8 ? '\n' : '');
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

const repoTexts = ['examples', 'test', 'docs', 'sandbox']
  .flatMap((dir) => yamlFiles(join(root, dir)))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const cases: [string, string, 'same' | 'outside'][] = [
  ['two documents', 'a: 1\n---\nb: [x, "y", 2]\n', 'same'],
  ['leading marker, trailing marker', '---\na: 1\n---\n', 'same'],
  ['markers only', '---\n---\n', 'same'],
  ['no final newline', 'a:\n  b: c', 'same'],
  ['trailing blanks and comments', 'a:\n  b: c\n\n# end\n  \n', 'same'],
  ['comments everywhere', '# c\na: 1 # c\n# c\nb:\n    # c\n  - x # c\n  # c\n  - y\n', 'same'],
  ['sequence at the key indentation', 'a:\n- x\n- y: 1\n  z: 2\nb: 3\n', 'same'],
  ['compact mappings', '- a: 1\n  b:\n  - c\n-   d: {}\n    e: []\n', 'same'],
  [
    'scalars of every type',
    'a: [1, -2, 0x1F, 0o7, 1.5, .inf, -.Inf, .nan, ~, null, True]\n',
    'same',
  ],
  ['keys of other types', '1: a\ntrue: b\nnull: c\n2.50: d\n0x10: e\n', 'same'],
  ['quoted keys and values', "'a''b': 'c''d'\n\"e f\": \"g # h\"\nx: ''\n", 'same'],
  ['plain with colons and hashes', 'a: http://x:80/#y\nb: c#d\n', 'same'],
  ['anchors and aliases', 'a: &x\n  b: 1\nc: *x\nd: &y v\ne: *y\n', 'same'],
  ['an alias in a flow sequence', 'a: &y v\ne: [*y]\n', 'outside'],
  ['a sequence after a mapping', 'a: 1\n- f\n', 'outside'],
  ['anchor then alias in a sequence', 'a: &x\n  - 1\nb:\n  - *x\n', 'same'],
  ['dates stay strings', 'a: 2026-01-01\nb: 12:30\n', 'same'],
  ['a key with spaces before the colon', 'a  : 1\n', 'same'],
  ['block scalar', 'a: |\n  x\n', 'outside'],
  ['multi-line plain', 'a: x\n  y\n', 'outside'],
  ['tag', 'a: !!str 1\n', 'outside'],
  ['merge key', 'a: &x {}\nb:\n  <<: *x\n', 'outside'],
  ['CRLF', 'a: 1\r\nb: 2\r\n', 'outside'],
  ['tab', 'a:\t1\n', 'outside'],
  ['duplicate key', 'a: 1\na: 2\n', 'outside'],
  ['bad indentation', 'a:\n  b: 1\n   c: 2\n', 'outside'],
  ['value after a colon in a value', 'a: b: c\n', 'outside'],
  ['multi-line quoted', 'a: \'x\n  y\'\nb: "x\n  y"\n', 'outside'],
  ['multi-line flow sequence', 'a: [x,\n  y]\n', 'outside'],
  ['control character', 'a: x\u0007\n', 'outside'],
  ['byte order mark', '\ufeffa: 1\n', 'outside'],
  ['CR in a comment', 'a: 1 # x\ry\n', 'outside'],
  ['escape in double quotes', 'a: "x\\ny"\n', 'outside'],
  ['unknown alias', 'a: *x\n', 'outside'],
  ['only comments', '# a\n# b\n', 'outside'],
  ['flow mapping with content', 'a: {b: 1}\n', 'outside'],
  ['document end marker', 'a: 1\n...\n', 'outside'],
  ['prototype key', '__proto__: 1\n', 'outside'],
];

test('block reader: edge cases are read as js-yaml reads them, or left to it', () => {
  for (const [name, text, expected] of cases) {
    assert.equal(compare(text), expected, name);
  }
});

test('block reader: every YAML file of the repository reads as with js-yaml, or is left to it', () => {
  let same = 0;
  for (const { path, text } of repoTexts) {
    const verdict = compare(text);
    if (verdict === 'same') same++;
    else assert.equal(verdict, 'outside', path);
  }
  // Most manifests are in the subset (a change that gave up on common layouts would show here).
  assert.ok(same > repoTexts.length / 2, `${same} of ${repoTexts.length} read by the block reader`);
});

test('block reader: the whole bench corpus is in the subset and reads as with js-yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-block-yaml-'));
  try {
    const { files } = writeAuditCorpus(dir, 2);
    for (const file of files) assert.equal(compare(readFileSync(file, 'utf8')), 'same', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('block reader: seeded mutations of the repository files never read differently', () => {
  const random = seeded(160);
  let same = 0;
  for (let i = 0; i < 3000; i++) {
    const source = repoTexts[Math.floor(random() * repoTexts.length)]?.text ?? '';
    const text = mutate(source, random);
    const verdict = compare(text);
    if (verdict === 'same') same++;
    else assert.equal(verdict, 'outside', `mutation ${i}:\n${text}`);
  }
  assert.ok(same > 300, `${same} mutations read by the block reader`);
});

test('block reader: generated layouts read as with js-yaml', () => {
  const random = seeded(7);
  let same = 0;
  for (let i = 0; i < 2000; i++) {
    const text = generateLayout(random);
    const verdict = compare(text);
    if (verdict === 'same') same++;
    else assert.equal(verdict, 'outside', `layout ${i}:\n${text}`);
  }
  assert.ok(same > 1000, `${same} layouts read by the block reader`);
});
