import { deepStrictEqual, strictEqual } from 'node:assert';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { localReferences, matchSource, originOf, stripOrigin } from './kustomize-origin.ts';

const withOrigin = (text: string, extra: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'prod-web', annotations: { 'config.kubernetes.io/origin': text, ...extra } },
});

test('originOf reads path, configuredIn and skips remote bases', () => {
  deepStrictEqual(originOf(withOrigin('path: ../../base/service.yaml\n')), {
    file: '../../base/service.yaml',
    generated: false,
  });
  deepStrictEqual(
    originOf(withOrigin('configuredIn: ../overlay/kustomization.yaml\nconfiguredBy:\n  kind: X\n')),
    { file: '../overlay/kustomization.yaml', generated: true },
  );
  strictEqual(originOf(withOrigin('repo: https://github.com/x/y\npath: base/a.yaml\n')), undefined);
});

test('stripOrigin removes the annotation and an emptied map', () => {
  const alone = withOrigin('path: a.yaml\n');
  stripOrigin(alone);
  strictEqual(alone.metadata.annotations, undefined);
  const other = withOrigin('path: a.yaml\n', { keep: 'me' });
  stripOrigin(other);
  deepStrictEqual(other.metadata.annotations, { keep: 'me' });
});

test('matchSource picks the same kind with the longest contained name', () => {
  const docs = [
    { kind: 'Deployment', name: 'web' },
    { kind: 'Deployment', name: 'web-worker' },
    { kind: 'Service', name: 'other' },
  ];
  strictEqual(matchSource(docs, 'Deployment', 'prod-web-worker-v2')?.name, 'web-worker');
  strictEqual(matchSource(docs, 'Deployment', 'prod-web')?.name, 'web');
  strictEqual(matchSource(docs, 'Service', 'renamed')?.name, 'other');
  strictEqual(matchSource(docs, 'ConfigMap', 'x'), undefined);
});

test('localReferences keeps local entries only', () => {
  deepStrictEqual(
    localReferences({
      resources: ['../base', 'pdb.yaml', 'https://github.com/x/y//base?ref=v1'],
      components: ['../c'],
    }),
    ['../base', 'pdb.yaml', '../c'],
  );
});
