import { arr, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask } from './types.ts';

const params = obj(
  {
    to: arr(str({ description: 'slack=URL, discord=URL, discord-bot=CHANNEL or webhook=URL.' }), {
      description: 'Targets (use ${param} with a secret parameter for webhook URLs).',
      minItems: 1,
    }),
    message: str({ description: 'The text.' }),
    title: optional(str({ description: 'One line.' }), '"<workflow>: <status>"'),
    severity: str({
      description: 'Colour and emoji.',
      enum: ['info', 'warning', 'critical'] as const,
      default: 'info',
    }),
  },
  { description: 'notify params.' },
);
type Params = Infer<typeof params>;

export const notifyTask = defineTask<Params>({
  id: 'notify',
  summary:
    'Sends a message to Slack, Discord or a webhook through the shared notifier (secrets masked).',
  docs: 'Seed `notifications.slack` maps here (`to: [slack=${SLACK_WEBHOOK}]`). Each message carries the id `<run>:<step>`, so the notifier sends it once. Not idempotent across machines (a message cut off mid-send is not re-sent on resume). No outputs.',
  params,
  outputs: [],
  idempotent: false,
  defaultTimeout: '1m',
  async run(p, ctx) {
    const notify = need(ctx, 'notify', 'notify');
    const wf = ctx.scope.workflow as { name?: string; status?: string } | undefined;
    const status = wf?.status ?? 'running';
    for (const spec of p.to) {
      const target = notify.target(spec);
      await notify.send(
        target,
        {
          id: `${ctx.runId}:${ctx.step}`,
          thread: ctx.runId,
          status: p.severity === 'info' ? 'info' : 'escalation',
          severity: p.severity,
          title: p.title ?? `${wf?.name ?? 'workflow'}: ${status}`,
          text: p.message,
          fields: [{ label: 'run', value: ctx.runId }],
          source: `berth workflow ${wf?.name ?? ''}`.trim(),
          at: new Date(ctx.now()).toISOString(),
        },
        { signal: ctx.signal },
      );
    }
    return { outputs: {}, message: `sent to ${p.to.length} target${p.to.length === 1 ? '' : 's'}` };
  },
});
