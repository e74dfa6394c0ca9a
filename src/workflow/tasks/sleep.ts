import { Format, obj, str, type Infer } from '../../spec/schema/dsl.ts';
import { durationMs } from './need.ts';
import { defineTask } from './types.ts';

const params = obj(
  { duration: str({ description: 'How long to pause.', format: Format.duration }) },
  { description: 'sleep params.' },
);
type Params = Infer<typeof params>;

export const sleepTask = defineTask<Params>({
  id: 'sleep',
  summary: 'Pauses the branch for a duration (a soak time between upgrade waves).',
  docs: 'No inverse, no outputs. The step timeout must exceed the duration.',
  params,
  outputs: [],
  idempotent: true,
  defaultTimeout: '1h',
  async run(p, ctx) {
    await ctx.sleep(durationMs(p.duration, 0));
    if (ctx.signal.aborted) throw new Error('stopped while sleeping');
    return { outputs: {}, message: `slept ${p.duration}` };
  },
});
