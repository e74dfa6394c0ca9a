import { bool, Format, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    component: str({ description: 'Component to restart.', format: Format.name }),
    namespace: optional(str({ description: 'Namespace.', format: Format.name }), "the component's"),
    wait: bool({ description: 'Wait for the rollout.', default: true }),
  },
  { description: 'restart params.' },
);
type Params = Infer<typeof params>;

export const restartTask = defineTask<Params>({
  id: 'restart',
  summary: 'Rolling restart of a component (kubectl rollout restart), waiting for the rollout.',
  docs: 'No inverse: a restart changes no desired state, so rollback leaves it. No outputs.',
  params,
  outputs: [],
  idempotent: true,
  defaultTimeout: '10m',
  async run(p, ctx) {
    const r = await need(ctx, 'releases', 'restart').restart({
      component: p.component,
      ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      wait: p.wait,
      timeoutMs: ctx.timeLeftMs(),
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    if (!r.ready) throw new TaskFailedError(`rollout not ready: ${r.reasons.join('; ')}`);
    return { outputs: {}, message: `${p.component} restarted` };
  },
});
