import { bool, Format, int, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    release: str({ description: 'Release name.', format: Format.name }),
    namespace: optional(
      str({ description: 'Release namespace.', format: Format.name }),
      'the platform namespace',
    ),
    revision: optional(
      int({ description: 'Revision to restore; 0 removes what the release applied.', minimum: 0 }),
      'the revision before the current one',
    ),
    lastGood: bool({
      description:
        'Restore the latest revision that deployed successfully, even the current one (undoes drift).',
      default: false,
    }),
    wait: bool({ description: 'Wait until the restored objects are ready.', default: true }),
  },
  { description: 'rollback params.' },
);
type Params = Infer<typeof params>;

export const rollbackTask = defineTask<Params>({
  id: 'rollback',
  summary: 'Restores a recorded revision of a release (from the history kept in the cluster).',
  docs: 'Seed `taskserv rollback --to-version` maps here. Also the inverse the engine records for `apply`. Its own inverse restores the revision that was current before it. Outputs: `revision` (the new revision number).',
  params,
  outputs: ['revision'],
  idempotent: true,
  defaultTimeout: '10m',
  async prepareUndo(p, ctx) {
    const releases = need(ctx, 'releases', 'rollback');
    const namespace = p.namespace ?? releases.defaultRelease(ctx.step).namespace;
    const current = await releases.currentRevision({ release: p.release, namespace });
    if (current === undefined) return undefined;
    return {
      task: 'rollback',
      params: { release: p.release, namespace, revision: current },
      description: `restore release ${p.release} revision ${current}`,
    };
  },
  async run(p, ctx) {
    const releases = need(ctx, 'releases', 'rollback');
    const namespace = p.namespace ?? releases.defaultRelease(ctx.step).namespace;
    let revision = p.revision;
    if (revision === undefined && p.lastGood) {
      revision = await releases.lastGoodRevision({ release: p.release, namespace });
      if (revision === undefined)
        throw new TaskFailedError(
          `release ${p.release} has no revision that deployed successfully`,
        );
    }
    if (revision === undefined) {
      const current = await releases.currentRevision({ release: p.release, namespace });
      if (current === undefined || current < 2)
        throw new TaskFailedError(`release ${p.release} has no earlier revision`);
      revision = current - 1;
    }
    const r = await releases.rollback({
      release: p.release,
      namespace,
      revision,
      wait: p.wait,
      timeoutMs: ctx.timeLeftMs(),
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    if (!r.ready)
      throw new TaskFailedError(`not ready: ${r.reasons.join('; ')}`, { revision: r.revision });
    return {
      outputs: { revision: r.revision },
      message:
        revision === 0
          ? `release ${p.release} removed`
          : `release ${p.release} at revision ${revision}`,
    };
  },
});
