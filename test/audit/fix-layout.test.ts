// Property: --fix changes only the lines of the fields it edits. Over generated layouts (comments
// everywhere, flow and block styles, flush and indented lists, CRLF, trailing blank lines,
// anchors, empty keys followed by comment lines, several documents), every line outside the
// edited paths is byte-identical after the fix, and a second fix changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffArrays } from 'diff';
import { parseAllDocuments } from 'yaml';
import type { Finding, Fix } from '../../src/audit/engine/types.ts';
import { planFixes } from '../../src/audit/fix/plan.ts';

let seed = 20261202;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const chance = (p: number): boolean => random() < p;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const comment = (): string => pick(['# note', '#x', '# a: b', '# - item', '#   spaced']);
const eol = (line: string): string =>
  chance(0.3) ? `${line}${pick([' ', '   '])}${comment()}` : line;

/** One Deployment in a random layout; `edited` are the keys a fix may touch. */
function deployment(name: string): string {
  const seq = chance(0.5) ? '' : '  '; // flush or indented lists
  const lines: string[] = [];
  if (chance(0.5)) lines.push(comment());
  lines.push(eol('apiVersion: apps/v1'), eol('kind: Deployment'));
  if (chance(0.3)) lines.push(`metadata: {name: ${name}, namespace: shop}`);
  else {
    lines.push('metadata:', eol(`  name: ${name}`), '  namespace: shop');
    if (chance(0.4)) lines.push('  annotations:', pick(['# under an empty key', '  # indented']));
  }
  lines.push('spec:', eol('  replicas: 2'));
  const labels = chance(0.5) ? `{app: ${name}}` : `\n      app: ${name}`;
  const anchored = chance(0.4);
  lines.push(
    '  selector:',
    `    matchLabels: ${anchored ? `&sel ` : ''}${labels.replace(/\n {6}/, '\n      ')}`,
  );
  lines.push('  template:', '    metadata:');
  lines.push(`      labels: ${anchored ? '*sel' : `{app: ${name}}`}`);
  if (chance(0.3)) lines.push(`      ${comment()}`);
  lines.push('    spec:');
  if (chance(0.5)) lines.push('      securityContext:', eol('        runAsNonRoot: false'));
  lines.push('      containers:');
  lines.push(`${seq}      - name: app`, eol(`${seq}        image: registry.example.com/app:1.0.0`));
  if (chance(0.5)) lines.push(`${seq}        args: ${pick(['[\'--a\',   "b"]', '[--x, --y]'])}`);
  else lines.push(`${seq}        args:`, `${seq}        ${pick(['', '  '])}- --a`);
  if (chance(0.6)) {
    lines.push(`${seq}        securityContext:`);
    if (chance(0.5)) lines.push(`${seq}          ${comment()}`);
    lines.push(eol(`${seq}          readOnlyRootFilesystem: false`));
    if (chance(0.5)) lines.push(`${seq}          allowPrivilegeEscalation: false`);
  }
  if (chance(0.3)) lines.push(`${seq}        ports: [{containerPort: 8080, name: http}]`);
  return lines.join('\n');
}

function layout(): string {
  const docs = [deployment('api')];
  if (chance(0.5))
    docs.unshift(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  a: "1"   ${comment()}`,
    );
  if (chance(0.4)) docs.push(deployment('worker'));
  let text = docs.join(`\n${pick(['---', '--- ', '---'])}\n`);
  if (chance(0.2)) text = `---\n${text}`;
  text += '\n' + '\n'.repeat(pick([0, 0, 1, 3]));
  if (chance(0.2)) text += '---\n';
  return chance(0.3) ? text.replace(/\n/g, '\r\n') : text;
}

const editedKeys = /readOnlyRootFilesystem|runAsNonRoot|runAsUser|securityContext/;

function findingsFor(text: string): Finding[] {
  const out: Finding[] = [];
  parseAllDocuments(text).forEach((doc, documentIndex) => {
    const value = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
    if (value?.kind !== 'Deployment') return;
    const base = {
      check: 'x',
      severity: 'error' as const,
      file: 'f.yaml',
      line: 1,
      message: 'm',
      remediation: 'r',
      fixable: true,
    };
    const object = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: value.metadata?.name ?? '',
    };
    const location = { file: 'f.yaml', documentIndex, origin: 'file' as const };
    const fix = (path: (string | number)[], v: unknown): Fix => ({
      kind: 'object',
      description: 'd',
      ops: [{ op: 'set', path, value: v }],
    });
    const pod = ['spec', 'template', 'spec'];
    out.push({
      ...base,
      object,
      location,
      fix: fix([...pod, 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'], true),
    });
    out.push({
      ...base,
      object,
      location,
      fix: fix([...pod, 'securityContext', 'runAsNonRoot'], true),
    });
    out.push({
      ...base,
      object,
      location,
      fix: fix([...pod, 'securityContext', 'runAsUser'], 1001),
    });
  });
  return out;
}

const fixText = (text: string): string =>
  planFixes(findingsFor(text), new Map([['f.yaml', text]]), new Set()).files[0]?.after ?? text;

test('--fix keeps every line outside the edited paths byte-identical (300 generated layouts)', () => {
  for (let i = 0; i < 300; i++) {
    const before = layout();
    const after = fixText(before);
    const context = `layout ${i}:\n${before}\n--- became ---\n${after}`;
    assert.notEqual(after, before, context);
    if (before.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), `CRLF kept: ${context}`);
    const split = (t: string): string[] => t.replace(/\r\n/g, '\n').split('\n');
    for (const part of diffArrays(split(before), split(after))) {
      if (!part.removed) continue;
      for (const line of part.value)
        assert.match(
          line,
          editedKeys,
          `only edited lines change; removed ${JSON.stringify(line)} in ${context}`,
        );
    }
    for (const part of diffArrays(split(before), split(after))) {
      if (!part.added) continue;
      for (const line of part.value)
        assert.match(
          line,
          editedKeys,
          `only edited lines are added; added ${JSON.stringify(line)} in ${context}`,
        );
    }
    assert.equal(fixText(after), after, `a second fix changes nothing: ${context}`);
  }
});
