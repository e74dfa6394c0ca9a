// Acceptance (issue 7 §7): --atomic restores the previous image when an upgrade crash-loops, and
// a rollback of vapora to revision 1 after two upgrades restores every field berth manages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/model/object.ts';
import { listRevisions, readRevision } from '../../src/release/adapters/history-store.ts';
import { applyRelease, rollbackRelease } from '../../src/release/adapters/operations.ts';
import { toRef } from '../../src/release/inventory.ts';
import { stripNoise } from '../../src/release/diff/normalize.ts';
import {
  cleanUpAfter,
  ensureForeignNamespaces,
  renderExample,
  testClient,
  uniqueSuffix,
} from '../deploy/support.ts';
import { clusterContext, fieldsDiffering, imageOf, releaseCleanUp } from './support.ts';

/** The objects with `component`'s Deployment changed by `edit` (copies). */
function withDeployment(
  objects: readonly KubeObject[],
  component: string,
  edit: (d: KubeObject) => void,
): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment' || o.metadata.labels?.['berth.dev/component'] !== component)
      return o;
    const copy = structuredClone(o);
    edit(copy);
    return copy;
  });
}

function setImage(d: KubeObject, image: string, fault?: string): void {
  const tpl = (
    d.spec as {
      template: {
        metadata?: { annotations?: Record<string, string> };
        spec: { containers: { image: string }[] };
      };
    }
  ).template;
  const c = tpl.spec.containers[0];
  if (c) c.image = image;
  if (fault)
    tpl.metadata = {
      ...tpl.metadata,
      annotations: { ...tpl.metadata?.annotations, 'berth.dev/sandbox-fault': fault },
    };
}

const bounds = (ms = 180_000) => ({ deadline: Date.now() + ms, timeoutMs: ms });

test('release on the sandbox: --atomic rolls a crash-looping upgrade back to the previous image', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('openclaw-agents', suffix);
  cleanUpAfter(t, api, objects);
  const release = { name: 'openclaw', namespace: `bots-${suffix}` };
  releaseCleanUp(t, api, release);
  const ctx = clusterContext(api, release);
  assert.equal(
    (await applyRelease(ctx, objects, { ...bounds(), wait: true })).shipped.status,
    'deployed',
  );

  const target = objects.find((o) => o.kind === 'Deployment') as KubeObject;
  const component = target.metadata.labels?.['berth.dev/component'] as string;
  const before = imageOf(target);
  const broken = withDeployment(objects, component, (d) =>
    setImage(d, 'busybox:crash', 'crash-loop'),
  );
  const out = await applyRelease(ctx, broken, { ...bounds(60_000), wait: true, atomic: true });
  assert.equal(out.shipped.status, 'failed');
  assert.ok(out.restored, out.noRestoreReason);
  assert.equal(out.restored.status, 'deployed', out.restored.apply.outcome);
  assert.equal(out.restored.target, 1);
  assert.equal(out.restored.apply.outcome, 'ready', 'every pod Ready again');
  const live = await api.get(toRef({ ...target, metadata: { ...target.metadata } }));
  assert.equal(imageOf(live), before, 'the previous image is back');
  const history = await listRevisions(api, release);
  assert.deepEqual(
    history.map((h) => `${h.revision}:${h.status}`),
    ['1:superseded', '2:failed', '3:deployed'],
  );
  assert.equal(history[2]?.restoredFrom, 1);
});

test('release on the sandbox: vapora rolled back to revision 1 after two upgrades is restored exactly', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('vapora', suffix);
  cleanUpAfter(t, api, objects);
  await ensureForeignNamespaces(api, objects);
  const release = { name: 'vapora', namespace: `vapora-system-${suffix}` };
  releaseCleanUp(t, api, release);
  const ctx = clusterContext(api, release);
  assert.equal(
    (await applyRelease(ctx, objects, { ...bounds(), wait: true })).shipped.status,
    'deployed',
  );
  const component = objects.find((o) => o.kind === 'Deployment')?.metadata.labels?.[
    'berth.dev/component'
  ] as string;
  const v2 = withDeployment(objects, component, (d) => setImage(d, 'registry.example/vapora:v2'));
  assert.equal(
    (await applyRelease(ctx, v2, { ...bounds(), wait: true })).shipped.status,
    'deployed',
  );
  const v3 = withDeployment(v2, component, (d) => {
    setImage(d, 'registry.example/vapora:v3');
    (d.metadata.labels as Record<string, string>)['example.com/upgraded'] = 'twice';
  });
  assert.equal(
    (await applyRelease(ctx, v3, { ...bounds(), wait: true })).shipped.status,
    'deployed',
  );

  const started = performance.now();
  const back = await rollbackRelease(ctx, { ...bounds(), toRevision: 1, wait: true });
  const elapsed = performance.now() - started;
  assert.equal(back.status, 'deployed', back.apply.outcome);
  t.diagnostic(
    `rollback of vapora (${objects.length} objects) with --wait: ${Math.round(elapsed)} ms`,
  );

  const target = await readRevision(api, release, 1);
  const differing: string[] = [];
  for (const obj of target.objects) {
    const live = await api.get(toRef(obj));
    if (!live) {
      differing.push(`${obj.kind} ${obj.metadata.name}: missing`);
      continue;
    }
    for (const d of fieldsDiffering(stripNoise(obj), live))
      differing.push(`${obj.kind} ${obj.metadata.name} ${d}`);
    // What rev 3 added and rev 1 lacks is gone too (berth no longer manages it).
    if (live.metadata.labels?.['example.com/upgraded'])
      differing.push(`${obj.kind} ${obj.metadata.name}: label of revision 3 left`);
  }
  assert.deepEqual(differing, []);
  const history = await listRevisions(api, release);
  assert.deepEqual(
    history.map((h) => `${h.revision}:${h.status}`),
    ['1:superseded', '2:superseded', '3:rolled-back', '4:deployed'],
  );
});
