/**
 * The vapora example workspace for workflow tests: copied to a temporary folder with its
 * namespaces renamed for one test (the example hardcodes vapora-system, vapora-agents and
 * monitoring), so tests share the sandbox without touching each other.
 */
import { randomBytes } from 'node:crypto';
import { cp, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from '../../../src/files/walk.ts';
import type { KubeApi } from '../../../src/kube/api.ts';
import type { KubeObject } from '../../../src/model/object.ts';

export interface VaporaCopy {
  dir: string;
  /** `wf<hex>`: namespaces are `<prefix>-system`, `<prefix>-agents`, `<prefix>-monitoring`. */
  prefix: string;
  namespaces: string[];
  dispose(api: KubeApi): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..', '..');

export async function copyVapora(): Promise<VaporaCopy> {
  const prefix = `wf${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'berth-wf-'));
  await cp(join(root, 'examples', 'vapora'), dir, { recursive: true });
  for (const f of await listFiles(dir, (n) => /\.ya?ml$/.test(n))) {
    const text = await readFile(f, 'utf8');
    await writeFile(
      f,
      text
        .replace(/\bvapora-system\b/g, `${prefix}-system`)
        .replace(/\bvapora-agents\b/g, `${prefix}-agents`)
        .replace(/\bmonitoring\b/g, `${prefix}-monitoring`)
        .replace(/\$schema=\S+/g, ''),
    );
  }
  const namespaces = ['system', 'agents', 'monitoring'].map((n) => `${prefix}-${n}`);
  return {
    dir,
    prefix,
    namespaces,
    async dispose(api) {
      for (const name of namespaces)
        await api
          .delete({ apiVersion: 'v1', kind: 'Namespace', name }, { deadline: Date.now() + 30_000 })
          .catch(() => false);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Makes the pods of one workload crash-loop in the sandbox (ADR 0023's fault annotation). */
export function crashLoop(name: string): (objects: KubeObject[]) => KubeObject[] {
  return (objects) =>
    objects.map((o) => {
      if (o.metadata.name !== name || (o.kind !== 'Deployment' && o.kind !== 'StatefulSet'))
        return o;
      const copy = structuredClone(o);
      const template = (
        copy.spec as { template: { metadata?: { annotations?: Record<string, string> } } }
      ).template;
      template.metadata = {
        ...template.metadata,
        annotations: { ...template.metadata?.annotations, 'berth.dev/sandbox-fault': 'crash-loop' },
      };
      return copy;
    });
}
