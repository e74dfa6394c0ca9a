import { obj, str, type Infer } from '../../spec/schema/dsl.ts';
import { defineTask } from './types.ts';

const params = obj(
  {
    message: str({ description: 'What the human approves.', default: 'continue?' }),
    poll: str({ description: 'How often the approval is read.', default: '2s' }),
  },
  { description: 'approve params.' },
);
type Params = Infer<typeof params>;

export const approveTask = defineTask<Params>({
  id: 'approve',
  summary:
    'Pauses until a human runs `berth workflow approve <run> <step>` (or the step times out).',
  docs: 'The approval is stored beside the run in the cluster, so it can come from any machine, before or after a resume. Outputs: none.',
  params,
  outputs: [],
  idempotent: true,
  defaultTimeout: '24h',
  async run(p, ctx) {
    const pollMs = Number(/^(\d+)s$/.exec(p.poll)?.[1] ?? 2) * 1000;
    ctx.progress(`waiting for: berth workflow approve ${ctx.runId} ${ctx.step} (${p.message})`);
    while (!ctx.signal.aborted) {
      if (await ctx.isApproved()) return { outputs: {}, message: 'approved' };
      await ctx.sleep(pollMs);
    }
    throw new Error('not approved before the deadline');
  },
});
