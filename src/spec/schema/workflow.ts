/**
 * The `Workflow` kind: a DAG of steps, each a call of a built-in task (ADR 0095). Field names are
 * camelCase like every other berth document; docs/workflows.md maps seed 004's snake_case names.
 * The structure is checked here; task params, the graph and the CEL expressions are checked by
 * src/workflow/validate (which knows the task registry).
 */
import { any, arr, bool, Format, int, intOrString, map, obj, optional, str } from './dsl.ts';

const retry = obj(
  {
    limit: int({ description: 'Attempts after the first one.', minimum: 0, default: 0 }),
    backoff: str({
      description: 'Delay before the first retry.',
      format: Format.duration,
      default: '5s',
    }),
    factor: int({
      description: 'Multiplier of the delay after each retry.',
      minimum: 1,
      default: 2,
    }),
    maxBackoff: str({
      description: 'Upper bound of the delay.',
      format: Format.duration,
      default: '1m',
    }),
  },
  { description: 'Retries of a failed attempt, with exponential back-off.' },
);

const stepFields = {
  name: str({ description: 'Step name (unique in the workflow).', format: Format.name }),
  task: str({ description: 'Built-in task id (docs/workflows.md lists them).' }),
  params: map(any({ description: 'Value; strings may use ${expression}.' }), {
    description: "The task's parameters (checked against the task's schema).",
    default: {},
  }),
  timeout: optional(
    str({ description: 'Deadline of one attempt.', format: Format.duration }),
    "the task's default timeout",
  ),
};

const hook = obj(stepFields, { description: 'A step run once when the workflow ends.' });

const step = obj(
  {
    ...stepFields,
    dependsOn: arr(str({ description: 'Step name.', format: Format.name }), {
      description:
        'Steps that must finish first (steps whose outputs this step reads are added implicitly).',
      default: [],
    }),
    when: optional(
      str({ description: 'CEL condition; false skips the step (Argo semantics).' }),
      'always runs',
    ),
    retry: optional(retry, 'no retries'),
    onFailure: str({
      description:
        'abort: start nothing new; continue: dependents still run; rollback: undo completed steps in reverse.',
      enum: ['abort', 'continue', 'rollback'] as const,
      default: 'abort',
    }),
    outputs: arr(str({ description: 'Output name.' }), {
      description:
        "Names this step publishes to later steps (a task's single value, or keys of its result).",
      default: [],
    }),
  },
  { description: 'One step of the DAG.' },
);

const param = obj(
  {
    name: str({ description: 'Parameter name (an identifier).' }),
    description: str({ description: 'What it is for.', default: '' }),
    type: str({
      description: 'Type of the value in expressions.',
      enum: ['string', 'int', 'bool'] as const,
      default: 'string',
    }),
    default: optional(
      intOrString({ description: 'Value when not given with --param.' }),
      'required unless env is set',
    ),
    env: optional(
      str({ description: 'Environment variable read when --param does not set it.' }),
      'not read from the environment',
    ),
    secret: bool({
      description: 'Never printed nor stored in the run state (re-read from env on resume).',
      default: false,
    }),
  },
  { description: 'A workflow parameter.' },
);

export const workflowSpec = obj(
  {
    description: str({ description: 'What the workflow does.', default: '' }),
    workspace: str({
      description: "The workspace folder apply-like tasks read, relative to the workflow's file.",
      default: '..',
    }),
    params: arr(param, { description: 'Parameters.', default: [], uniqueBy: 'name' }),
    steps: arr(step, { description: 'The steps.', minItems: 1, uniqueBy: 'name' }),
    timeout: str({
      description: 'Deadline of the whole run (rollback excluded).',
      format: Format.duration,
      default: '1h',
    }),
    concurrency: int({ description: 'Steps run at once at most.', minimum: 1, default: 4 }),
    rollbackOnFailure: bool({
      description: 'On any failed step, undo every completed step in reverse order.',
      default: false,
    }),
    onCompletion: arr(hook, {
      description: 'Steps run once after the workflow succeeded.',
      default: [],
      uniqueBy: 'name',
    }),
    onFailure: arr(hook, {
      description: 'Steps run once after the workflow failed (and its rollback ended).',
      default: [],
      uniqueBy: 'name',
    }),
  },
  { description: 'An ordered, resumable, reversible operation: a DAG of task steps.' },
);
