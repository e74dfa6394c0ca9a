/**
 * The checks of a Workflow document beyond its structure: tasks exist, params fit each task's
 * schema, dependencies exist and form no cycle, expressions parse and read only parameters and
 * outputs of earlier steps. Every problem is reported at once, with file:line:column. Pure.
 */
import type { Diagnostic } from '../errors.ts';
import type { WorkflowDoc } from '../spec/schema/kinds.ts';
import { Reporter, validateField } from '../spec/validate/structural.ts';
import { formatPath, type PathSegment, type YamlDocument } from '../yaml/stream.ts';
import { checkExpression, expressionsIn, identifiersOf, stepReferencesOf } from './expressions.ts';
import { findCycle } from './graph.ts';
import type { HookSpec, StepSpec, Workflow } from './model.ts';
import type { TaskDefinition } from './tasks/types.ts';

/** Names every expression may read besides parameters and outputs. */
export const RESERVED_NAMES = ['steps', 'workflow'] as const;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Context {
  r: Reporter;
  tasks: ReadonlyMap<string, TaskDefinition>;
  /** Output name → producing step. */
  producers: Map<string, string>;
  params: Set<string>;
  stepNames: Set<string>;
}

/** Checks a structurally valid Workflow document; returns the workflow when there is no problem. */
export function checkWorkflow(
  doc: YamlDocument,
  value: WorkflowDoc,
  tasks: readonly TaskDefinition[],
): { workflow?: Workflow; diagnostics: Diagnostic[] } {
  const r = new Reporter(doc);
  const spec = value.spec;
  const ctx: Context = {
    r,
    tasks: new Map(tasks.map((t) => [t.id, t])),
    producers: new Map(),
    params: new Set(spec.params.map((p) => p.name)),
    stepNames: new Set(spec.steps.map((s) => s.name)),
  };
  spec.params.forEach((p, i) => checkParam(p, ['spec', 'params', i], ctx));
  spec.steps.forEach((s, i) => collectOutputs(s, ['spec', 'steps', i], ctx));
  const names = [...ctx.params, ...ctx.producers.keys(), ...RESERVED_NAMES];
  const dependencies: Record<string, string[]> = {};
  spec.steps.forEach((s, i) => {
    const path = ['spec', 'steps', i];
    checkTaskCall(s, path, ctx, names);
    dependencies[s.name] = dependenciesOf(s, path, ctx);
  });
  for (const list of ['onCompletion', 'onFailure'] as const)
    spec[list].forEach((h, i) => checkTaskCall(h, ['spec', list, i], ctx, names));
  const cycle = findCycle(
    spec.steps.map((s) => s.name),
    dependencies,
  );
  if (cycle) {
    const i = spec.steps.findIndex((s) => s.name === cycle[0]);
    r.report(
      ['spec', 'steps', i, 'dependsOn'],
      `dependency cycle: ${cycle.join(' -> ')}`,
      'a step cannot wait for itself, directly or through others (reading an output is a dependency too)',
    );
  }
  if (r.diagnostics.length > 0) return { diagnostics: r.diagnostics };
  const workflow: Workflow = { name: value.metadata.name, file: doc.file, spec, dependencies };
  if (value.metadata.namespace !== undefined) workflow.namespace = value.metadata.namespace;
  return { workflow, diagnostics: [] };
}

function checkParam(p: WorkflowDoc['spec']['params'][number], path: PathSegment[], ctx: Context) {
  if (!IDENT.test(p.name) || (RESERVED_NAMES as readonly string[]).includes(p.name))
    ctx.r.report(
      [...path, 'name'],
      `invalid parameter name "${p.name}"`,
      'use letters, digits and "_" (expressions read it by name); steps and workflow are reserved',
    );
  if (p.default === undefined) return;
  const ok =
    p.type === 'string' ||
    (p.type === 'int' && /^-?\d+$/.test(String(p.default))) ||
    (p.type === 'bool' && ['true', 'false'].includes(String(p.default)));
  if (!ok) ctx.r.report([...path, 'default'], `default ${String(p.default)} is not a ${p.type}`);
}

function collectOutputs(s: StepSpec, path: PathSegment[], ctx: Context) {
  const task = ctx.tasks.get(s.task);
  s.outputs.forEach((name, i) => {
    const at = [...path, 'outputs', i];
    if (!IDENT.test(name) || (RESERVED_NAMES as readonly string[]).includes(name)) {
      ctx.r.report(at, `invalid output name "${name}"`, 'use letters, digits and "_"');
      return;
    }
    const other = ctx.producers.get(name);
    if (other !== undefined)
      ctx.r.report(at, `output "${name}" is already published by step ${other}`);
    else if (ctx.params.has(name))
      ctx.r.report(at, `output "${name}" has the name of a parameter`, 'rename one of them');
    else ctx.producers.set(name, s.name);
    if (!task) return;
    if (task.outputs === 'from-params') {
      const keys = Object.keys((s.params.expressions as object | undefined) ?? {});
      if (!keys.includes(name))
        ctx.r.report(
          at,
          `task ${task.id} does not produce "${name}"`,
          `it produces the keys of params.expressions: ${keys.join(', ') || 'none'}`,
        );
    } else if (!task.outputs.includes(name) && !task.outputs.includes('value')) {
      ctx.r.report(
        at,
        `task ${task.id} does not produce "${name}"`,
        `its outputs: ${task.outputs.join(', ') || 'none'}`,
      );
    }
  });
}

function checkTaskCall(
  s: StepSpec | HookSpec,
  path: PathSegment[],
  ctx: Context,
  names: readonly string[],
) {
  const task = ctx.tasks.get(s.task);
  if (!task) {
    ctx.r.report(
      [...path, 'task'],
      `unknown task "${s.task}"`,
      `built-in tasks: ${[...ctx.tasks.keys()].join(', ')}`,
    );
  } else {
    checkParams(task, s.params, [...path, 'params'], ctx.r);
  }
  const own = new Set('outputs' in s ? s.outputs : []);
  const visible = names.filter((n) => !own.has(n));
  for (const { path: at, expression } of expressionsIn(s.params, [...path, 'params']))
    reportExpression(expression, at, visible, ctx.r);
  if (s.task === 'evaluate' && typeof s.params.expressions === 'object' && s.params.expressions)
    for (const [k, e] of Object.entries(s.params.expressions))
      if (typeof e === 'string')
        reportExpression(e, [...path, 'params', 'expressions', k], visible, ctx.r);
  if ('when' in s && s.when !== undefined)
    reportExpression(s.when, [...path, 'when'], visible, ctx.r);
}

/** Validates params against the task's schema, ignoring leaves that are `${...}` (checked when run). */
function checkParams(task: TaskDefinition, params: unknown, path: PathSegment[], r: Reporter) {
  const inner = new Reporter(r.doc);
  validateField(task.params, params, path, inner);
  const computed = new Set(expressionsIn(params, path).map((e) => formatPath(e.path)));
  for (const d of inner.diagnostics) {
    if (d.path !== undefined && computed.has(d.path)) continue;
    r.diagnostics.push({ ...d, message: `${task.id}: ${d.message}` });
  }
}

function reportExpression(
  expression: string,
  path: PathSegment[],
  names: readonly string[],
  r: Reporter,
) {
  const problem = checkExpression(expression, names);
  if (!problem) return;
  const unknown = /Unknown variable: (\w+)/.exec(problem.message)?.[1];
  if (unknown !== undefined)
    r.report(
      path,
      `expression "${expression}" reads "${unknown}", which no parameter or earlier step output provides`,
      'declare it in spec.params, or list it in the outputs of the step that produces it',
    );
  else r.report(path, `invalid expression "${expression}": ${problem.message}`);
}

/** Declared dependsOn plus the producers of every output the step reads. */
function dependenciesOf(s: StepSpec, path: PathSegment[], ctx: Context): string[] {
  const deps = new Set<string>();
  s.dependsOn.forEach((d, i) => {
    if (ctx.stepNames.has(d)) deps.add(d);
    else
      ctx.r.report(
        [...path, 'dependsOn', i],
        `unknown step "${d}" in dependsOn`,
        `steps: ${[...ctx.stepNames].join(', ')}`,
      );
  });
  const expressions = [
    ...(s.when !== undefined ? [s.when] : []),
    ...expressionsIn(s.params).map((e) => e.expression),
    ...(s.task === 'evaluate' && typeof s.params.expressions === 'object' && s.params.expressions
      ? Object.values(s.params.expressions).filter((e): e is string => typeof e === 'string')
      : []),
  ];
  for (const e of expressions) {
    for (const id of identifiersOf(e)) {
      const producer = ctx.producers.get(id);
      if (producer !== undefined && producer !== s.name) deps.add(producer);
    }
    for (const step of stepReferencesOf(e)) {
      if (ctx.stepNames.has(step) && step !== s.name) deps.add(step);
      else if (!ctx.stepNames.has(step))
        ctx.r.report([...path], `expression "${e}" reads steps.${step}, which is not a step`);
    }
  }
  return [...deps];
}
