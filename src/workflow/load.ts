/**
 * From parsed YAML to validated workflows: each `kind: Workflow` document is checked against the
 * kind's schema (src/spec) and then by validate.ts; other berth documents are ignored (they are
 * the workspace's). Pure; every diagnostic at once.
 */
import type { Diagnostic } from '../errors.ts';
import { SPEC_API_VERSION } from '../spec/api-version.ts';
import { kinds, type WorkflowDoc } from '../spec/schema/kinds.ts';
import { Reporter, validateField } from '../spec/validate/structural.ts';
import type { YamlStream } from '../yaml/stream.ts';
import type { Workflow } from './model.ts';
import type { TaskDefinition } from './tasks/types.ts';
import { checkWorkflow } from './validate.ts';

export function parseWorkflows(
  streams: readonly YamlStream[],
  tasks: readonly TaskDefinition[],
): { workflows: Workflow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = streams.flatMap((s) => s.diagnostics);
  const workflows: Workflow[] = [];
  for (const stream of streams) {
    for (const doc of stream.documents) {
      const value = doc.value as { apiVersion?: unknown; kind?: unknown } | null;
      if (value?.kind !== 'Workflow') continue;
      const r = new Reporter(doc);
      if (value.apiVersion !== SPEC_API_VERSION) {
        r.report(
          ['apiVersion'],
          `apiVersion must be ${SPEC_API_VERSION} (got ${JSON.stringify(value.apiVersion ?? null)})`,
          'seed 004 workflows use provisioning/v1: see docs/workflows.md for the mapping',
        );
        diagnostics.push(...r.diagnostics);
        continue;
      }
      const out = validateField(kinds.Workflow, value, [], r) as WorkflowDoc | undefined;
      diagnostics.push(...r.diagnostics);
      const usable = salvage(out);
      if (!usable) continue;
      // The graph and expressions are checked even when some fields were invalid: all errors at once.
      const checked = checkWorkflow(doc, usable, tasks);
      diagnostics.push(...checked.diagnostics);
      if (checked.workflow && r.diagnostics.length === 0) workflows.push(checked.workflow);
    }
  }
  if (workflows.length === 0 && diagnostics.length === 0)
    diagnostics.push({
      message: 'no Workflow document found',
      hint: 'a workflow file holds apiVersion: berth.dev/v1alpha1, kind: Workflow',
    });
  return { workflows, diagnostics: diagnostics.sort(byPosition) };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  const pa = a.position;
  const pb = b.position;
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  if (pa.file !== pb.file) return pa.file < pb.file ? -1 : 1;
  return pa.line - pb.line || pa.column - pb.column;
}

/** The valid parts of a document whose structure had errors (invalid list items dropped). */
function salvage(out: WorkflowDoc | undefined): WorkflowDoc | undefined {
  const spec = out?.spec as Partial<WorkflowDoc['spec']> | undefined;
  if (!out || !spec || !Array.isArray(spec.steps)) return undefined;
  const ok = <T>(list: T[] | undefined): T[] => (list ?? []).filter((x) => x !== undefined);
  return {
    ...out,
    spec: {
      ...(spec as WorkflowDoc['spec']),
      steps: ok(spec.steps),
      params: ok(spec.params),
      onCompletion: ok(spec.onCompletion),
      onFailure: ok(spec.onFailure),
    },
  };
}
