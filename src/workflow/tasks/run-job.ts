import { arr, Format, int, map, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    name: optional(str({ description: 'Job name.', format: Format.name }), '<step>-<run suffix>'),
    namespace: str({ description: 'Namespace of the Job.', format: Format.name }),
    image: str({ description: 'Image (pinned tag).', format: Format.image }),
    command: arr(str({ description: 'Argument.' }), {
      description: 'Command and arguments.',
      minItems: 1,
    }),
    env: map(str({ description: 'Value.' }), {
      description: 'Environment.',
      default: {},
      keyFormat: 'env',
    }),
    backoffLimit: int({ description: 'Pod retries inside the Job.', minimum: 0, default: 0 }),
  },
  { description: 'run-job params.' },
);
type Params = Infer<typeof params>;

export const runJobTask = defineTask<Params>({
  id: 'run-job',
  summary: 'Runs a Job (migrations, seeding) to completion; outputs its exit status and log tail.',
  docs: 'Seed `run-migrations` maps here. The Job name is fixed per run and step, so a resumed run finds the Job it already created instead of starting another (idempotent). No inverse: undo a migration with its own down-migration step. Outputs: `succeeded`, `exitCode`, `logs`.',
  params,
  outputs: ['succeeded', 'exitCode', 'logs'],
  idempotent: true,
  defaultTimeout: '10m',
  async run(p, ctx) {
    const jobs = need(ctx, 'jobs', 'run-job');
    const name = p.name ?? `${ctx.step}-${ctx.runId.slice(-4)}`.slice(0, 63);
    const r = await jobs.run({
      namespace: p.namespace,
      name,
      image: p.image,
      command: p.command,
      env: p.env,
      backoffLimit: p.backoffLimit,
      timeoutMs: ctx.timeLeftMs(),
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    const outputs = { succeeded: r.succeeded, exitCode: r.exitCode ?? -1, logs: r.logsTail };
    if (!r.succeeded)
      throw new TaskFailedError(
        `job ${name} failed (exit ${r.exitCode ?? '?'}): ${r.logsTail.split('\n').slice(-3).join(' | ')}`,
        outputs,
      );
    return { outputs, message: `job ${name} succeeded` };
  },
});
