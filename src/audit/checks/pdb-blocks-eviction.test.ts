import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockingReason } from './pdb-blocks-eviction.ts';

test('budgets that allow no disruption, alone or against the pods they select', () => {
  const cases: [unknown, unknown, number | undefined, boolean][] = [
    // minAvailable, maxUnavailable, replicas, blocks
    [undefined, 0, undefined, true],
    [undefined, '0%', undefined, true],
    ['100%', undefined, undefined, true],
    [undefined, 1, 1, false],
    [undefined, '10%', 3, false], // rounds up to 1
    [2, undefined, 2, true],
    [2, undefined, 3, false],
    [2, undefined, undefined, false], // no workload in the input: unknown
    ['90%', undefined, 3, true], // ceil(2.7) = 3
    ['50%', undefined, 3, false], // ceil(1.5) = 2
    ['50%', undefined, 1, true],
    ['66%', undefined, 2, true], // ceil(1.32) = 2
    [1, undefined, 1, true],
  ];
  for (const [minAvailable, maxUnavailable, replicas, blocks] of cases)
    assert.equal(
      blockingReason({ minAvailable, maxUnavailable }, replicas) !== undefined,
      blocks,
      JSON.stringify({ minAvailable, maxUnavailable, replicas }),
    );
});
