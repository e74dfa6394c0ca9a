import { any, arr, bool, Format, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    components: arr(str({ description: 'Component name.', format: Format.name }), {
      description: 'Workspace components to apply (their rendered objects).',
      default: [],
    }),
    manifests: arr(str({ description: 'File or folder, relative to the workspace.' }), {
      description: 'Plain manifests to apply instead (addons, ingress).',
      default: [],
    }),
    objects: arr(any({ description: 'A Kubernetes object (apiVersion, kind, metadata...).' }), {
      description: 'Inline manifests (addons, ingress) applied with the rest.',
      default: [],
    }),
    release: optional(
      str({ description: 'Release name.', format: Format.name }),
      '<platform>-<step>',
    ),
    namespace: optional(
      str({ description: 'Release namespace.', format: Format.name }),
      'the platform namespace',
    ),
    wait: bool({ description: 'Wait until every object is ready.', default: true }),
  },
  { description: 'apply params.' },
);
type Params = Infer<typeof params>;

export const applyTask = defineTask<Params>({
  id: 'apply',
  summary:
    'Applies workspace components or manifests as a release revision and waits for readiness.',
  docs: 'Seed `deploy-taskservs`, `deploy-agents`, `install-addons` and `configure-ingress` map here. Each step is its own release (`<platform>-<step>` unless `release` is set), so its inverse is "roll that release back to the revision before the step" (or remove it when the step created it). Outputs: `revision`, `objects`.',
  params,
  outputs: ['revision', 'objects'],
  idempotent: true,
  defaultTimeout: '10m',
  async prepareUndo(p, ctx) {
    const releases = need(ctx, 'releases', 'apply');
    const ref = refOf(p, releases.defaultRelease(ctx.step));
    const before = await releases.currentRevision(ref);
    return {
      task: 'rollback',
      params: { release: ref.release, namespace: ref.namespace, revision: before ?? 0 },
      description:
        before === undefined
          ? `remove release ${ref.release} (the step created it)`
          : `roll release ${ref.release} back to revision ${before}`,
    };
  },
  async run(p, ctx) {
    const releases = need(ctx, 'releases', 'apply');
    if (p.components.length + p.manifests.length + p.objects.length === 0)
      throw new TaskFailedError('apply: list components, manifests or objects');
    const ref = refOf(p, releases.defaultRelease(ctx.step));
    const r = await releases.apply({
      ...ref,
      components: p.components,
      manifests: p.manifests,
      objects: p.objects,
      wait: p.wait,
      timeoutMs: ctx.timeLeftMs(),
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    const outputs = { revision: r.revision, objects: r.objects };
    if (!r.ready) throw new TaskFailedError(`not ready: ${r.reasons.join('; ')}`, outputs);
    return {
      outputs,
      message: `release ${ref.release} revision ${r.revision}: ${r.objects} objects ready`,
    };
  },
});

function refOf(p: Params, fallback: { release: string; namespace: string }) {
  return { release: p.release ?? fallback.release, namespace: p.namespace ?? fallback.namespace };
}
