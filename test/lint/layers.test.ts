import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { adapterFolders, pureFiles, pureFolders } from '../../lint/layers.js';

const root = join(import.meta.dirname, '..', '..');
const layerRules = new Set(['layers/pure-core', 'no-restricted-globals', 'no-console']);

/** The repository's eslint config, without type information (the fixture is in no tsconfig). */
function linter(): ESLint {
  return new ESLint({
    cwd: root,
    overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  });
}

test('layer rule: every marked line of the bad fixture is reported, and nothing else', async () => {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', 'bad-pure-core.ts.txt'), 'utf8');
  const [result] = await linter().lintText(text, {
    filePath: join(root, 'src', 'model', 'lint-fixture.ts'),
  });
  assert.ok(result);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the fixture parses');
  const reported = new Set(
    result.messages.filter((m) => layerRules.has(m.ruleId ?? '')).map((m) => m.line),
  );
  const lines = text.split('\n');
  const expected = new Set(lines.flatMap((line, i) => (line.includes('// fires:') ? [i + 1] : [])));
  const missing = [...expected].filter((l) => !reported.has(l)).map((l) => lines[l - 1]);
  const extra = [...reported].filter((l) => !expected.has(l)).map((l) => lines[l - 1]);
  assert.deepEqual(missing, [], 'lines the rule should report but did not');
  assert.deepEqual(extra, [], 'lines the rule reported but should not');
});

test('layer rule: the same fixture outside the pure core is not held to it', async () => {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', 'bad-pure-core.ts.txt'), 'utf8');
  const [result] = await linter().lintText(text, {
    filePath: join(root, 'src', 'model', 'adapters', 'lint-fixture.ts'),
  });
  assert.deepEqual(
    (result?.messages ?? []).filter((m) => m.fatal),
    [],
  );
  const layered = (result?.messages ?? []).filter((m) => m.ruleId === 'layers/pure-core');
  assert.deepEqual(layered, []);
});

/** The backticked paths of the bullet list under `### <heading>` in ADR 0003. */
function adrList(adr: string, heading: string): string[] {
  const start = adr.indexOf(`### ${heading}`);
  assert.ok(start >= 0, `ADR 0003 has a "### ${heading}" section`);
  const section = adr.slice(start).split('\n').slice(1);
  const end = section.findIndex((l) => l.startsWith('#'));
  return (end < 0 ? section : section.slice(0, end))
    .filter((l) => l.startsWith('- `'))
    .map((l) => /^- `([^`]+)`/.exec(l)?.[1] ?? '');
}

test('layer rule: ADR 0003 and lint/layers.js list the same folders', () => {
  const adr = readFileSync(
    join(root, 'docs', 'adr', '0003-layers-pure-core-and-adapters.md'),
    'utf8',
  );
  assert.deepEqual(adrList(adr, 'Pure folders').sort(), [...pureFolders, ...pureFiles].sort());
  assert.deepEqual(adrList(adr, 'Adapter folders').sort(), [...adapterFolders].sort());
});
