import { arr, Format, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { TaskFailedError, type TaskContext, type TaskResult } from './types.ts';

/** Params shared by `wait` and `health-check`. */
export const readinessParams = obj(
  {
    components: arr(str({ description: 'Component name.', format: Format.name }), {
      description: 'Components to check (every component of the workspace when empty).',
      default: [],
    }),
    release: optional(
      str({ description: "A release's objects instead.", format: Format.name }),
      'components',
    ),
    namespace: optional(
      str({ description: 'Release namespace.', format: Format.name }),
      'the platform namespace',
    ),
  },
  { description: 'readiness params.' },
);
export type ReadinessParams = Infer<typeof readinessParams>;

export async function checkReadiness(
  id: string,
  p: ReadinessParams,
  ctx: TaskContext,
): Promise<TaskResult> {
  const releases = need(ctx, 'releases', id);
  const req = {
    components: p.components,
    timeoutMs: ctx.timeLeftMs(),
    signal: ctx.signal,
    onProgress: ctx.progress,
    ...(p.release !== undefined
      ? {
          release: {
            release: p.release,
            namespace: p.namespace ?? releases.defaultRelease(ctx.step).namespace,
          },
        }
      : {}),
  };
  const r = await releases.health(req);
  if (!r.ready)
    throw new TaskFailedError(`not ready: ${r.reasons.join('; ')}`, {
      ready: false,
      reasons: r.reasons,
    });
  return { outputs: { ready: true, reasons: [] }, message: 'ready' };
}
