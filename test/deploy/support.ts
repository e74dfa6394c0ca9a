// Helpers for the deploy integration tests: a berth client on the test cluster, the examples
// rendered into namespaces unique to a test, and clean-up.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { KubeClient } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/object.ts';
import { refOf } from '../../src/kube/object.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/index.ts';
import { testKubeconfig } from '../support/cluster.ts';

export const examplesDir = join(import.meta.dirname, '..', '..', 'examples');

/** A berth client on the test cluster, closed when the test ends. */
export async function testClient(t: TestContext): Promise<KubeClient> {
  const client = await KubeClient.connect({ kubeconfig: testKubeconfig(), env: {} });
  t.after(() => client.close());
  return client;
}

export function uniqueSuffix(): string {
  return `t${randomBytes(3).toString('hex')}`;
}

/**
 * The example rendered with every namespace it declares renamed `<ns>-<suffix>` (names,
 * references, selectors and subjects alike), so tests never collide.
 */
export async function renderExample(name: string, suffix: string): Promise<KubeObject[]> {
  const objects = renderWorkspace(await loadWorkspace(join(examplesDir, name)));
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  let text = JSON.stringify(objects);
  for (const ns of namespaces) text = text.split(`"${ns}"`).join(`"${ns}-${suffix}"`);
  return JSON.parse(text) as KubeObject[];
}

/** Deletes the namespaces and cluster-scoped objects of `objects` when the test ends. */
export function cleanUpAfter(
  t: TestContext,
  client: KubeClient,
  objects: readonly KubeObject[],
): void {
  t.after(async () => {
    for (const obj of objects) {
      const resource = await client.resourceFor(obj.apiVersion, obj.kind);
      if (resource && !resource.namespaced) await client.delete(refOf(obj));
    }
  });
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
