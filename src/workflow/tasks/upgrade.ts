import { bool, Format, map, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    component: str({ description: 'Component to upgrade.', format: Format.name }),
    namespace: optional(str({ description: 'Namespace.', format: Format.name }), "the component's"),
    image: optional(
      str({ description: 'New image for every container.', format: Format.image }),
      'images',
    ),
    images: map(str({ description: 'Image.', format: Format.image }), {
      description: 'Container name → new image.',
      default: {},
    }),
    wait: bool({ description: 'Wait for the rollout.', default: true }),
  },
  { description: 'upgrade params.' },
);
type Params = Infer<typeof params>;

export const upgradeTask = defineTask<Params>({
  id: 'upgrade',
  summary: "Changes a component's image(s) and waits for the rollout.",
  docs: 'Seed `taskserv upgrade --image` maps here. Inverse: set the images read before the step. Outputs: `previous` (container → image).',
  params,
  outputs: ['previous'],
  idempotent: true,
  defaultTimeout: '10m',
  async prepareUndo(p, ctx) {
    const previous = await need(ctx, 'releases', 'upgrade').images(ref(p));
    return {
      task: 'upgrade',
      params: { ...ref(p), images: previous },
      description: `set ${p.component} back to ${Object.values(previous).join(', ')}`,
    };
  },
  async run(p, ctx) {
    const releases = need(ctx, 'releases', 'upgrade');
    const previous = await releases.images(ref(p));
    const images =
      p.image !== undefined
        ? Object.fromEntries(Object.keys(previous).map((c) => [c, p.image as string]))
        : p.images;
    if (Object.keys(images).length === 0) throw new TaskFailedError('upgrade: set image or images');
    const r = await releases.upgrade({
      ...ref(p),
      images,
      wait: p.wait,
      timeoutMs: ctx.timeLeftMs(),
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    if (!r.ready)
      throw new TaskFailedError(`rollout not ready: ${r.reasons.join('; ')}`, { previous });
    return {
      outputs: { previous },
      message: `${p.component}: ${Object.values(images).join(', ')}`,
    };
  },
});

function ref(p: Params) {
  return p.namespace === undefined
    ? { component: p.component }
    : { component: p.component, namespace: p.namespace };
}
