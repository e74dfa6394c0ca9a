import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipCodec } from './adapters/codec.ts';
import {
  nextRevision,
  revisionsToTrim,
  rollbackTarget,
  statusChanges,
  type HistoryEntry,
} from './history.ts';
import {
  decodeRevision,
  encodeRevision,
  readRevisionInfo,
  type RevisionRecord,
} from './revision.ts';

const h = (...pairs: [number, HistoryEntry['status']][]): HistoryEntry[] =>
  pairs.map(([revision, status]) => ({ revision, status }));

test('history: revision numbers count up from 1', () => {
  assert.equal(nextRevision([]), 1);
  assert.equal(nextRevision(h([3, 'deployed'], [1, 'superseded'])), 4);
});

const transitions: [string, HistoryEntry[], Parameters<typeof statusChanges>[1], string][] = [
  [
    'a deployed revision supersedes the previous one',
    h([1, 'deployed'], [2, 'deployed']),
    { type: 'deployed', revision: 2 },
    '1:superseded',
  ],
  [
    'a failed revision changes nothing',
    h([1, 'deployed'], [2, 'failed']),
    { type: 'failed', revision: 2 },
    '',
  ],
  [
    'a rollback marks the undone revision rolled-back',
    h([1, 'superseded'], [2, 'deployed'], [3, 'deployed']),
    { type: 'rolled-back', revision: 3, undone: 2 },
    '2:rolled-back',
  ],
  [
    'an atomic rollback leaves the failed revision failed and supersedes the old deployed one',
    h([1, 'deployed'], [2, 'failed'], [3, 'deployed']),
    { type: 'rolled-back', revision: 3, undone: 2 },
    '1:superseded',
  ],
];
for (const [name, history, event, expected] of transitions) {
  test(`history: ${name}`, () => {
    assert.equal(
      statusChanges(history, event)
        .map((c) => `${c.revision}:${c.status}`)
        .join(','),
      expected,
    );
  });
}

test('history: trimming keeps the newest, and always the last deployed', () => {
  assert.deepEqual(
    revisionsToTrim(h([1, 'superseded'], [2, 'superseded'], [3, 'deployed']), 2),
    [1],
  );
  assert.deepEqual(
    revisionsToTrim(h([1, 'deployed'], [2, 'failed'], [3, 'failed'], [4, 'failed']), 2),
    [2, 3],
  );
  assert.deepEqual(revisionsToTrim(h([1, 'deployed']), 10), []);
  assert.throws(() => revisionsToTrim([], 0), /at least 1/);
});

test('history: rollback goes to the last deployed revision before the current one', () => {
  assert.equal(rollbackTarget('r', h([1, 'superseded'], [2, 'superseded'], [3, 'deployed'])), 2);
  assert.equal(rollbackTarget('r', h([1, 'deployed'], [2, 'failed'])), 1);
  assert.equal(rollbackTarget('r', h([1, 'superseded'], [2, 'rolled-back'], [3, 'deployed'])), 1);
  assert.equal(rollbackTarget('r', h([1, 'superseded'], [2, 'deployed']), 1), 1);
  assert.throws(() => rollbackTarget('r', h([1, 'deployed']), 7), /no revision 7 \(revisions: 1\)/);
  assert.throws(
    () => rollbackTarget('r', h([1, 'deployed'])),
    /no deployed revision before revision 1/,
  );
  assert.throws(() => rollbackTarget('r', []), /no history/);
});

test('revision: a record survives the Secret round trip; the table row needs no payload', () => {
  const record: RevisionRecord = {
    release: 'demo',
    revision: 4,
    status: 'deployed',
    time: '2026-12-02T11:00:00.000Z',
    description: 'rollback to 2',
    specDigest: 'sha256:abc',
    images: ['a:1', 'b:2'],
    berthVersion: '0.1.0',
    by: 'ana@laptop',
    restoredFrom: 2,
    objectCount: 1,
    objects: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'x' },
        data: { k: 'v' },
      },
    ],
  };
  const secret = encodeRevision({ name: 'demo', namespace: 'x' }, record, gzipCodec);
  assert.equal(secret.metadata.name, 'berth.release.v1.demo.v4');
  assert.equal(secret.type, 'berth.dev/release.v1');
  assert.deepEqual(decodeRevision(secret, gzipCodec), record);
  const { objects: _objects, ...info } = record;
  assert.deepEqual(readRevisionInfo({ ...secret, data: {} }), info);
  assert.throws(
    () =>
      readRevisionInfo({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'x', namespace: 'y' },
      }),
    /not a berth revision/,
  );
});
