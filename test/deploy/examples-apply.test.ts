// Acceptance (issue 3 §4): each example applies on the sandbox under Pod Security `restricted`
// (enforce) with no object rejected and every workload Ready, and a second apply changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyObjects } from '../../src/deploy/apply.ts';
import { placeObject } from '../../src/deploy/apply-object.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { refOf } from '../../src/model/object.ts';
import {
  cleanUpAfter,
  ensureForeignNamespaces,
  renderExample,
  testClient,
  uniqueSuffix,
} from './support.ts';

const examples = ['openclaw-agents', 'archon', 'platform-engineer', 'vapora'];
const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/**
 * What a no-op apply must leave untouched: berth's timestamp, and the generation, or for kinds
 * without one (HorizontalPodAutoscaler) everything but status, resourceVersion and managedFields
 * (controllers update status, which moves the resourceVersion, between the two applies).
 */
function fingerprint(obj: KubeObject): string {
  const m = obj.metadata as {
    generation?: number;
    managedFields?: { manager?: string; operation?: string; time?: string }[];
  };
  const berth = m.managedFields?.find((f) => f.manager === 'berth' && f.operation === 'Apply');
  // The API server rewrites a ValidatingAdmissionPolicy on every apply of the same content (a new
  // resourceVersion and managedFields time, the generation unchanged; measured on 1.36): its spec
  // is judged by the generation alone.
  if (obj.kind === 'ValidatingAdmissionPolicy' && m.generation !== undefined)
    return `g${m.generation}`;
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    ...metadata
  } = obj.metadata as Record<string, unknown>;
  const version =
    m.generation !== undefined ? `g${m.generation}` : JSON.stringify({ ...rest, metadata });
  return `${version} ${berth?.time ?? 'no berth entry'}`;
}

for (const example of examples) {
  test(`acceptance: ${example} applies under Pod Security restricted, Ready, and re-applies as a no-op`, async (t) => {
    const client = await testClient(t);
    const objects = await renderExample(example, uniqueSuffix());
    cleanUpAfter(t, client, objects);
    await ensureForeignNamespaces(client, objects);

    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    assert.ok(namespaces.length > 0, 'the example declares its namespaces');
    for (const ns of namespaces)
      assert.equal(
        ns.metadata.labels?.['pod-security.kubernetes.io/enforce'],
        'restricted',
        ns.metadata.name,
      );

    const first = await applyObjects(client, objects, { wait: true, timeoutMs: 180_000 });
    const problems = first.objects.filter((o) => o.action !== 'applied' || o.status !== 'Current');
    assert.deepEqual(problems, [], `outcome ${first.outcome}`);
    assert.equal(first.outcome, 'ready');
    // Argo CD's own finalizer name draws a server warning; Pod Security and deprecations must not.
    const serious = first.warnings.filter((w) => /PodSecurity|deprecated/i.test(w.message));
    assert.deepEqual(serious, [], 'no Pod Security or deprecation warnings');
    assert.ok(first.summary.applied === objects.length, 'every object applied');
    const workloads = first.objects.filter((o) => workloadKinds.includes(o.kind));
    assert.ok(workloads.length > 0, 'the example has workloads');

    const before = new Map<string, string>();
    for (const obj of objects) {
      const live = await client.get(refOf(await placeObject(client, obj, {})));
      assert.ok(live, `${obj.kind} ${obj.metadata.name} exists`);
      before.set(
        `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`,
        fingerprint(live),
      );
    }
    const second = await applyObjects(client, objects, { wait: true, timeoutMs: 60_000 });
    assert.equal(second.outcome, 'ready');
    const changed: string[] = [];
    for (const obj of objects) {
      const live = await client.get(refOf(await placeObject(client, obj, {})));
      const key = `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
      if (!live || fingerprint(live) !== before.get(key)) changed.push(key);
    }
    assert.deepEqual(changed, [], 'the second apply changed nothing');
  });
}
