// Acceptance (issue 7 §7): removing an agent from openclaw-agents and re-applying deletes its
// Deployment, Service and NetworkPolicy, keeps its PVC and says so; history records both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listRevisions } from '../../src/release/adapters/history-store.ts';
import { applyRelease } from '../../src/release/adapters/operations.ts';
import { diffRelease } from '../../src/release/adapters/diff-release.ts';
import { hasChanges, summarizeDiffs } from '../../src/release/diff/render.ts';
import { cleanUpAfter, renderExample, testClient, uniqueSuffix } from '../deploy/support.ts';
import { clusterContext, releaseCleanUp } from './support.ts';

test('release on the sandbox: an agent removed from openclaw-agents is pruned, its PVC kept', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('openclaw-agents', suffix);
  cleanUpAfter(t, api, objects);
  const release = { name: 'openclaw', namespace: `bots-${suffix}` };
  releaseCleanUp(t, api, release);
  const ctx = clusterContext(api, release);
  const bounds = () => ({ deadline: Date.now() + 180_000, timeoutMs: 180_000 });

  const first = await applyRelease(ctx, objects, { ...bounds(), wait: true });
  assert.equal(first.shipped.status, 'deployed', first.shipped.apply.outcome);

  // An unchanged release diffs empty (exit 0 in the CLI).
  const same = await diffRelease(api, objects, { deadline: Date.now() + 60_000, release });
  const summary = summarizeDiffs(same.diffs);
  assert.equal(
    hasChanges(summary),
    false,
    JSON.stringify(same.diffs.filter((d) => d.action !== 'unchanged').map((d) => d.diff)),
  );

  const agents = objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => o.metadata.labels?.['berth.dev/component']);
  const gone = agents[0] as string;
  const remaining = objects.filter((o) => o.metadata.labels?.['berth.dev/component'] !== gone);
  const removedKinds = objects
    .filter((o) => o.metadata.labels?.['berth.dev/component'] === gone)
    .map((o) => o.kind)
    .sort();
  assert.ok(
    removedKinds.includes('PersistentVolumeClaim'),
    `agent ${gone} has a PVC (${removedKinds.join(', ')})`,
  );

  const second = await applyRelease(ctx, remaining, { ...bounds(), wait: true });
  assert.equal(second.shipped.status, 'deployed');
  const pruned = second.shipped.pruned.map((r) => r.kind);
  for (const kind of ['Deployment', 'Service', 'NetworkPolicy'])
    assert.ok(pruned.includes(kind), `pruned a ${kind} (pruned: ${pruned.join(', ')})`);
  assert.deepEqual(
    second.shipped.kept.map((r) => r.kind),
    ['PersistentVolumeClaim'],
  );
  for (const ref of second.shipped.pruned)
    assert.equal(await api.get(ref), undefined, `${ref.kind} ${ref.name} deleted`);
  for (const ref of second.shipped.kept)
    assert.ok(await api.get(ref), `${ref.kind} ${ref.name} still there`);

  const history = await listRevisions(api, release);
  assert.deepEqual(
    history.map((h) => `${h.revision}:${h.status}`),
    ['1:superseded', '2:deployed'],
  );
});
