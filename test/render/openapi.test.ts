import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import { checkCrd, crdKinds } from './crds.ts';
import { exampleDir, examples } from './examples.ts';
import { kubernetesVersion, loadValidator } from './openapi.ts';

const validator = loadValidator();

test('the validator rejects what the API server would (unknown field, wrong type, missing field)', () => {
  const bad = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: {
      replicas: 'two',
      selector: {},
      template: { spec: { containers: [{ name: 'c', imagee: 'x' }] } },
    },
  };
  const errors = validator.validate(bad).join('\n');
  assert.match(errors, /replicas must be integer/);
  assert.match(errors, /imagee/);
});

for (const name of examples) {
  test(`openapi: every object of ${name} validates against Kubernetes ${kubernetesVersion()}`, async () => {
    const objects = renderWorkspace(await loadWorkspace(exampleDir(name)));
    const problems: string[] = [];
    for (const o of objects) {
      const gvk = `${o.apiVersion}/${o.kind}`;
      const errors = crdKinds.includes(gvk) ? checkCrd(o) : validator.validate(o);
      for (const e of errors)
        problems.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${e}`);
    }
    assert.deepEqual(problems, []);
  });
}
