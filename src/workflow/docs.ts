/**
 * The task reference of docs/workflows.md, generated from the task registry (a test fails when
 * the file and the code disagree). Pure.
 */
import { fieldDocs } from '../spec/schema/docs.ts';
import type { TaskDefinition } from './tasks/types.ts';

const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function taskReference(tasks: readonly TaskDefinition[]): string {
  const index = [
    '| Task | What it does | Inverse (rollback) | Re-run after a crash |',
    '|---|---|---|---|',
    ...tasks.map(
      (t) =>
        `| [\`${t.id}\`](#${t.id}) | ${escape(t.summary)} | ${'prepareUndo' in t ? 'yes' : 'none'} | ${t.idempotent ? 'yes (idempotent)' : 'no: reported for a human'} |`,
    ),
    '',
  ];
  const sections = tasks.map((t) => {
    const outputs =
      t.outputs === 'from-params'
        ? 'the keys of `expressions`'
        : t.outputs.map((o) => `\`${o}\``).join(', ') || 'none';
    const rows = fieldDocs(t.params).map(
      (d) =>
        `| \`${d.path}\` | ${escape(d.type)} | ${escape(d.default)} | ${escape(d.description)} |`,
    );
    return [
      `### ${t.id}`,
      '',
      `${t.summary} ${t.docs}`,
      '',
      `Outputs: ${outputs}. Default timeout: ${t.defaultTimeout ?? '5m'}.`,
      '',
      '| Param | Type | Default | Description |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  });
  return [...index, ...sections].join('\n');
}
