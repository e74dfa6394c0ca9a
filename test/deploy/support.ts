// Helpers for the deploy integration tests: a berth client on the test cluster, the examples
// rendered into namespaces unique to a test, and clean-up.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import type { HttpKube } from '../../src/kube/http/http-kube.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { refOf } from '../../src/model/object.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { relocate } from './relocate.ts';

export const examplesDir = join(import.meta.dirname, '..', '..', 'examples');

/** A berth client on the test cluster, closed when the test ends. */
export async function testClient(t: TestContext): Promise<HttpKube> {
  const client = await connectKube({ kubeconfig: testKubeconfig(), env: {} });
  t.after(() => client.close());
  return client;
}

export function uniqueSuffix(): string {
  return `t${randomBytes(3).toString('hex')}`;
}

/**
 * The example rendered with every namespace it declares renamed `<ns>-<suffix>`: namespace
 * fields (metadata, subjects, references), the Namespace objects' names, and namespace
 * selectors on `kubernetes.io/metadata.name`; so tests never collide.
 */
export async function renderExample(name: string, suffix: string): Promise<KubeObject[]> {
  const objects = renderWorkspace(await loadWorkspace(join(examplesDir, name)));
  return relocate(objects, suffix);
}

/**
 * Deletes, when the test ends, the objects that deleting the example's own namespaces would
 * leave behind: cluster-scoped objects and objects in other namespaces (Argo CD Applications).
 */
export function cleanUpAfter(
  t: TestContext,
  client: HttpKube,
  objects: readonly KubeObject[],
): void {
  const own = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  t.after(async () => {
    for (const obj of objects) {
      const resource = await client.resource(obj.apiVersion, obj.kind);
      const elsewhere = resource?.namespaced && !own.has(obj.metadata.namespace ?? '');
      if (!resource || !(!resource.namespaced || elsewhere || obj.kind === 'Namespace')) continue;
      if (elsewhere) await dropFinalizers(client, obj);
      await client.delete(refOf(obj));
    }
  });
}

/**
 * Removes the finalizers of an object whose controller does not run in the sandbox (Argo CD's
 * resources finalizer on Applications), as that controller would once done.
 */
async function dropFinalizers(client: HttpKube, obj: KubeObject): Promise<void> {
  const ref = refOf(obj);
  if (!(await client.get(ref))) return;
  await client.patch(
    ref,
    { metadata: { finalizers: null } },
    { type: 'merge', fieldManager: 'berth-test' },
  );
}

/**
 * Namespaces the example expects to exist already because another system owns them (Argo CD's
 * `argocd`): created when missing and left in place, as that system would.
 */
export async function ensureForeignNamespaces(
  client: HttpKube,
  objects: readonly KubeObject[],
): Promise<void> {
  const own = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const foreign = new Set(
    objects.map((o) => o.metadata.namespace).filter((ns): ns is string => !!ns && !own.has(ns)),
  );
  for (const name of foreign)
    await client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      { fieldManager: 'berth', force: true },
    );
}

/** A restricted-compliant container spec (so Pod Security only objects to what a test adds). */
export function restrictedContainer(name = 'app'): Record<string, unknown> {
  return {
    name,
    image: 'registry.example.com/demo/app:1.0.0',
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      runAsUser: 1001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}
