import { deepStrictEqual, strictEqual } from 'node:assert';
import { test } from 'node:test';
import { folderKind, mayHoldSpec, templateLine } from './classify.ts';

test('templateLine finds Go-template actions where YAML structure goes', () => {
  const cases: [string, string, number | undefined][] = [
    ['plain YAML', 'apiVersion: v1\nkind: ConfigMap\n', undefined],
    ['if at line start', 'apiVersion: v1\n{{- if .Values.enabled }}\nkind: x\n', 2],
    [
      'include with nindent',
      'metadata:\n  labels:\n    {{- include "x.labels" . | nindent 4 }}\n',
      3,
    ],
    ['unquoted value', 'spec:\n  replicas: {{ .Values.replicas }}\n', 2],
    ['list item', 'args:\n  - {{ .Values.arg }}\n', 2],
    ['quoted value is data', 'args:\n  - "{{inputs.parameters.x}}"\nx: \'{{ y }}\'\n', undefined],
    [
      'block scalar is data',
      'data:\n  alert.tmpl: |\n    {{ define "slack" }}\n    {{ end }}\nkind: ConfigMap\n',
      undefined,
    ],
    ['after a block scalar ends', 'a: |\n  {{ x }}\nb: {{ .Values.b }}\n', 3],
    ['list item block scalar', 'cmds:\n  - |\n    {{ x }}\n', undefined],
    ['github actions expression in quotes', 'run: "echo ${{ github.sha }}"\n', undefined],
  ];
  for (const [name, text, want] of cases) strictEqual(templateLine(text), want, name);
});

test('folderKind and mayHoldSpec', () => {
  deepStrictEqual(
    [
      folderKind(['Chart.yaml', 'values.yaml']),
      folderKind(['kustomization.yaml']),
      folderKind(['Kustomization']),
      folderKind(['a.yaml']),
    ],
    ['chart', 'kustomization', 'kustomization', 'plain'],
  );
  strictEqual(mayHoldSpec('---\napiVersion: berth.dev/v1alpha1\nkind: Platform\n'), true);
  strictEqual(mayHoldSpec('apiVersion: apps/v1\n'), false);
});
