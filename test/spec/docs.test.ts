// docs/spec.md's reference section and docs/spec.schema.json are generated from the schema; these
// tests fail when they drift. Refresh with BERTH_UPDATE_GOLDEN=1.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fieldDocs, kinds, specJsonSchema, specReference } from '../../src/spec/index.ts';
import { root } from '../render/examples.ts';

const update = process.env.BERTH_UPDATE_GOLDEN === '1';
const MARKER = '<!-- generated: do not edit below this line -->\n';

test('docs: docs/spec.md ends with the reference generated from the schema', async () => {
  const path = join(root, 'docs', 'spec.md');
  const text = await readFile(path, 'utf8');
  const head = text.split(MARKER)[0] ?? text;
  const expected = `${head}${MARKER}\n${specReference()}`;
  if (update) await writeFile(path, expected, 'utf8');
  assert.ok(
    (update ? expected : text) === expected,
    'docs/spec.md is stale: run BERTH_UPDATE_GOLDEN=1 npm test',
  );
});

test('docs: docs/spec.schema.json is the schema berth schema prints', async () => {
  const path = join(root, 'docs', 'spec.schema.json');
  const expected = `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
  if (update) await writeFile(path, expected, 'utf8');
  assert.equal(await readFile(path, 'utf8'), expected);
});

test('every field of every kind has a description and a documented default (or is required)', () => {
  for (const [kind, field] of Object.entries(kinds)) {
    for (const doc of fieldDocs(field)) {
      assert.ok(doc.description.length > 3, `${kind}.${doc.path} has no description`);
      assert.ok(
        doc.default !== 'unset',
        `${kind}.${doc.path} is optional but does not say what absence means`,
      );
    }
  }
});
