/**
 * Tasks for engine tests: they record what they did in a shared log, take (fake) time, fail on
 * demand, and record an inverse like the real mutating tasks do.
 */
import { bool, int, obj, str, type Infer } from '../../../src/spec/schema/dsl.ts';
import {
  defineTask,
  TaskFailedError,
  type TaskDefinition,
} from '../../../src/workflow/tasks/types.ts';

const params = obj(
  {
    ms: int({ description: 'Time it takes.', minimum: 0, default: 10 }),
    fail: bool({ description: 'Fail every attempt.', default: false }),
    failTimes: int({ description: 'Fail the first n attempts.', minimum: 0, default: 0 }),
    value: int({ description: 'Output value.', minimum: 0, default: 1 }),
    label: str({ description: 'Free text.', default: '' }),
  },
  { description: 'fake params.' },
);
type Params = Infer<typeof params>;

export interface FakeLog {
  calls: string[];
  attempts: Map<string, number>;
}

export function fakeTasks(log: FakeLog): TaskDefinition[] {
  const mutate = defineTask<Params>({
    id: 'mutate',
    summary: 'A mutating fake.',
    docs: 'test',
    params,
    outputs: ['value'],
    idempotent: true,
    prepareUndo(_p, ctx) {
      return Promise.resolve({
        task: 'undo',
        params: { label: ctx.step },
        description: `undo ${ctx.step}`,
      });
    },
    async run(p, ctx) {
      const n = (log.attempts.get(ctx.step) ?? 0) + 1;
      log.attempts.set(ctx.step, n);
      log.calls.push(`run ${ctx.step}`);
      await ctx.sleep(p.ms);
      if (ctx.signal.aborted) throw new Error('aborted');
      if (p.fail || n <= p.failTimes) throw new TaskFailedError(`${ctx.step} broke`);
      return { outputs: { value: p.value } };
    },
  });
  const undo = defineTask<Params>({
    id: 'undo',
    summary: 'The inverse fake.',
    docs: 'test',
    params,
    outputs: [],
    idempotent: true,
    run(p) {
      log.calls.push(`undo ${p.label}`);
      return Promise.resolve({ outputs: {} });
    },
  });
  const once = defineTask<Params>({
    id: 'once',
    summary: 'A non-idempotent fake (a notification).',
    docs: 'test',
    params,
    outputs: [],
    idempotent: false,
    run(p, ctx) {
      const status = (ctx.scope.workflow as { status: string }).status;
      log.calls.push(`once ${ctx.step} ${status}${p.label ? ` ${p.label}` : ''}`);
      if (p.fail) return Promise.reject(new Error('hook broke'));
      return Promise.resolve({ outputs: {} });
    },
  });
  const hang = defineTask<Params>({
    id: 'hang',
    summary: 'Never ends unless aborted.',
    docs: 'test',
    params,
    outputs: [],
    idempotent: true,
    run(_p, ctx) {
      log.calls.push(`run ${ctx.step}`);
      return new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );
    },
  });
  return [mutate, undo, once, hang];
}
