// docs/audit.md maps peers' check ids to berth's; the table and the registry must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checks } from '../../src/audit/checks/index.ts';

const doc = readFileSync(join(import.meta.dirname, '../../docs/audit.md'), 'utf8');
const section = doc.slice(doc.indexOf("## Coverage of the peers' checks"));
const rows = section
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| Peer') && !l.startsWith('|---'))
  .map((l) => l.split('|').map((c) => c.trim()));
const berthOnly = /berth only\):([\s\S]*?)\.\n/.exec(section)?.[1] ?? '';
const ids = (text: string): string[] =>
  [...text.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1] ?? '');
const registered = new Set(checks.map((c) => c.id));

test('every berth id of the peer table is a registered check', () => {
  assert.ok(rows.length > 30, 'the table is there');
  for (const [, peer = '', berth = ''] of rows) {
    if (berth.startsWith('—')) {
      assert.match(berth, /^— \(.+\)$/, `a row not covered says why: ${peer}`);
      continue;
    }
    const [first] = ids(berth);
    assert.ok(first && registered.has(first), `"${first ?? berth}" (for ${peer}) is a check`);
    for (const id of ids(berth))
      if (!registered.has(id)) assert.fail(`${id} is not a check (row ${peer})`);
  }
});

test('every registered check is in the peer table or in the berth-only list', () => {
  const mapped = new Set(rows.flatMap(([, , berth = '']) => ids(berth)));
  const only = new Set(ids(berthOnly));
  for (const id of only) assert.ok(registered.has(id), `berth-only ${id} is a check`);
  for (const id of registered)
    assert.ok(
      mapped.has(id) || only.has(id),
      `${id} is neither mapped to a peer nor listed as berth only`,
    );
});
