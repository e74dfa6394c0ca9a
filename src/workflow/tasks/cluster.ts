import { obj, str, type Infer } from '../../spec/schema/dsl.ts';
import { need } from './need.ts';
import { defineTask } from './types.ts';

const params = obj(
  {
    minVersion: str({
      description: 'Lowest Kubernetes minor version accepted, such as 1.28.',
      default: '1.25',
    }),
  },
  { description: 'cluster params.' },
);
type Params = Infer<typeof params>;

export const clusterTask = defineTask<Params>({
  id: 'cluster',
  summary:
    'Checks the target cluster answers (and its version); berth never creates cloud clusters.',
  docs: 'Seed `provisioning.cluster` (create a cluster from kcl/cluster.k) maps here as a check: berth does not create cloud clusters. With no cluster configured (no --kubeconfig, KUBECONFIG or ~/.kube/config), `berth workflow run` starts the berth sandbox first, as `berth up` does (`--sandbox NAME`). Outputs: `server`, `version`, `sandbox`.',
  params,
  outputs: ['server', 'version', 'sandbox'],
  idempotent: true,
  defaultTimeout: '1m',
  async run(p, ctx) {
    const c = await need(ctx, 'cluster', 'cluster').check({
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    const [maj = 0, min = 0] = c.version
      .replace(/^v/, '')
      .split('.')
      .map((x) => parseInt(x, 10));
    const [wantMaj = 0, wantMin = 0] = p.minVersion.split('.').map((x) => parseInt(x, 10));
    if (maj < wantMaj || (maj === wantMaj && min < wantMin))
      throw new Error(
        `cluster ${c.server} runs Kubernetes ${c.version}, older than ${p.minVersion}`,
      );
    return {
      outputs: { server: c.server, version: c.version, sandbox: c.sandbox },
      message: `${c.server} (${c.version})`,
    };
  },
});
