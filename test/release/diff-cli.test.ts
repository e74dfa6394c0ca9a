// `berth diff` through the CLI on the sandbox (issue 7 §3, §7): an unchanged release exits 0 with
// an empty diff (text: only the summary line; -o json: every object `unchanged`, no diff text);
// a changed one exits 1 and the JSON document names each action, the image change, the pruned
// object, the kept claim, and masks Secret values.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { cleanUpAfter, renderExample, testClient, uniqueSuffix } from '../deploy/support.ts';

async function berth(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, captured } = memoryIO();
  const code = await runCli([...argv, '--kubeconfig', testKubeconfig()], io);
  return { code, ...captured };
}

interface DiffDoc {
  kind: string;
  release: { name: string; namespace: string };
  summary: Record<'create' | 'change' | 'prune' | 'keep' | 'unchanged', number>;
  objects: {
    ref: { kind: string; namespace?: string; name: string };
    action: string;
    diff: string;
  }[];
  refused: unknown[];
}

test('berth diff on the sandbox: unchanged exits 0 with an empty diff; -o json names every change', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const ns = `bots-${suffix}`;
  const rel = `oc-${suffix}`;
  const secret = (value: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'tokens', namespace: ns },
    stringData: { token: value },
  });
  const objects = [...(await renderExample('openclaw-agents', suffix)), secret('s3cr3t-one')];
  cleanUpAfter(t, api, objects);
  const dir = mkdtempSync(join(tmpdir(), 'berth-diff-'));
  const write = (name: string, list: readonly KubeObject[]): string => {
    const file = join(dir, name);
    writeFileSync(file, list.map((o) => stringify(o)).join('---\n'));
    return file;
  };
  const v1 = write('v1.yaml', objects);
  const flags = ['--release', rel, '-n', ns];
  const applied = await berth('apply', v1, ...flags, '--wait', '--timeout', '3m');
  assert.equal(applied.code, 0, applied.out + applied.err);

  const text = await berth('diff', v1, ...flags);
  assert.equal(text.code, 0, text.out + text.err);
  assert.equal(
    text.out,
    `0 to create, 0 to change, 0 to prune, 0 kept, ${objects.length} unchanged\n`,
  );
  const same = await berth('diff', v1, ...flags, '-o', 'json');
  assert.equal(same.code, 0, same.err);
  const unchanged = JSON.parse(same.out) as DiffDoc;
  assert.equal(unchanged.kind, 'DiffResult');
  assert.deepEqual(unchanged.release, { name: rel, namespace: ns });
  assert.deepEqual(unchanged.summary, {
    create: 0,
    change: 0,
    prune: 0,
    keep: 0,
    unchanged: objects.length,
  });
  assert.ok(unchanged.objects.every((o) => o.action === 'unchanged' && o.diff === ''));
  assert.deepEqual(unchanged.refused, []);

  // v2: a new image for one agent, another agent removed (its claim is kept), a new Secret value.
  const [first, second] = objects.filter((o) => o.kind === 'Deployment');
  assert.ok(first && second);
  const gone = second.metadata.labels?.['berth.dev/component'];
  const v2objects = objects
    .filter((o) => o.metadata.labels?.['berth.dev/component'] !== gone || o.kind === 'Namespace')
    .map((o) => {
      if (o === first) {
        const copy = structuredClone(o);
        const c = (copy.spec as { template: { spec: { containers: { image: string }[] } } })
          .template.spec.containers[0];
        if (c) c.image = 'registry.example/agent:v2';
        return copy;
      }
      return o.kind === 'Secret' ? secret('s3cr3t-two') : o;
    });
  const changed = await berth('diff', write('v2.yaml', v2objects), ...flags, '-o', 'json');
  assert.equal(changed.code, 1, changed.out + changed.err);
  const doc = JSON.parse(changed.out) as DiffDoc;
  const by = (kind: string, name: string) =>
    doc.objects.find((o) => o.ref.kind === kind && o.ref.name === name);
  const image = by('Deployment', first.metadata.name);
  assert.equal(image?.action, 'change');
  assert.match(image?.diff ?? '', /^\+\s+(- )?image: registry\.example\/agent:v2$/m);
  assert.equal(by('Deployment', second.metadata.name)?.action, 'prune');
  assert.equal(by('PersistentVolumeClaim', `${gone}-data`)?.action, 'keep');
  const tokens = by('Secret', 'tokens');
  assert.equal(tokens?.action, 'change');
  assert.doesNotMatch(changed.out, /s3cr3t|czNjcjN0/, 'no Secret value, plain or base64');
  assert.match(tokens?.diff ?? '', /\*\*\* \(after\)/);
  assert.equal(doc.summary.change, 2);
  assert.ok(doc.summary.prune >= 3, 'Deployment, Service, NetworkPolicy... of the removed agent');
  assert.equal(doc.summary.keep, 1);
});
