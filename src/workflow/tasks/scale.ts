import { Format, int, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask } from './types.ts';

const params = obj(
  {
    component: str({
      description: 'Component (its Deployment or StatefulSet).',
      format: Format.name,
    }),
    namespace: optional(str({ description: 'Namespace.', format: Format.name }), "the component's"),
    replicas: int({ description: 'Replicas to set.', minimum: 0 }),
  },
  { description: 'scale params.' },
);
type Params = Infer<typeof params>;

export const scaleTask = defineTask<Params>({
  id: 'scale',
  summary: "Sets a component's replicas through the /scale subresource.",
  docs: 'Seed `scale-taskserv` maps here. Inverse: scale back to the replicas read before the step. Outputs: `previous`, `replicas`.',
  params,
  outputs: ['previous', 'replicas'],
  idempotent: true,
  defaultTimeout: '5m',
  async prepareUndo(p, ctx) {
    const previous = await need(ctx, 'releases', 'scale').replicas(ref(p));
    return {
      task: 'scale',
      params: { ...ref(p), replicas: previous },
      description: `scale ${p.component} back to ${previous} replicas`,
    };
  },
  async run(p, ctx) {
    const releases = need(ctx, 'releases', 'scale');
    const previous = await releases.replicas(ref(p));
    await releases.scale({ ...ref(p), replicas: p.replicas, signal: ctx.signal });
    return {
      outputs: { previous, replicas: p.replicas },
      message: `${p.component}: ${previous} -> ${p.replicas} replicas`,
    };
  },
});

function ref(p: Params) {
  return p.namespace === undefined
    ? { component: p.component }
    : { component: p.component, namespace: p.namespace };
}
