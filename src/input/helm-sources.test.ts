import { deepStrictEqual, strictEqual } from 'node:assert';
import { test } from 'node:test';
import { chartRelative, splitRendered, templateLineOf } from './helm-sources.ts';

test('splitRendered keeps each manifest with its # Source', () => {
  const out = `---
# Source: web/templates/sa.yaml
apiVersion: v1
kind: ServiceAccount
---
# Source: web/charts/db/templates/svc.yaml
apiVersion: v1
kind: Service
---
`;
  deepStrictEqual(
    splitRendered(out).map((p) => p.source),
    ['web/templates/sa.yaml', 'web/charts/db/templates/svc.yaml'],
  );
  strictEqual(chartRelative('web/charts/db/templates/svc.yaml'), 'charts/db/templates/svc.yaml');
});

test('templateLineOf follows the path keys below the kind line', () => {
  const template = [
    'apiVersion: apps/v1', // 1
    'kind: Deployment', // 2
    'metadata:', // 3
    '  name: {{ include "web.fullname" . }}', // 4
    'spec:', // 5
    '  template:', // 6
    '    spec:', // 7
    '      {{- with .Values.podSecurityContext }}', // 8
    '      securityContext:', // 9
    '        {{- toYaml . | nindent 8 }}', // 10
    '      {{- end }}', // 11
    '      containers:', // 12
    '        - name: web', // 13
  ].join('\n');
  const cases: [PathLike, number][] = [
    [['spec', 'template', 'spec', 'securityContext', 'seccompProfile'], 9],
    [['spec', 'template', 'spec', 'containers', 0, 'image'], 12],
    [['metadata', 'name'], 4],
    [[], 2],
  ];
  for (const [path, want] of cases) strictEqual(templateLineOf(template, 'Deployment', path), want);
});
type PathLike = (string | number)[];
