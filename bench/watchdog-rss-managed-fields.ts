// Where the watchdog's memory goes at 5,000 pods: the same in-process watchdog twice, once as
// is and once with `metadata.managedFields` dropped from every object its informers receive
// (about half of a kwok pod's JSON). Prints heap and RSS after start-up and a forced GC, one line
// per variant. Run against the scale bench's cluster (bench/watchdog-scale.bench.ts):
//
//   BERTH_BENCH_KUBECONFIG=<kubeconfig> node --import tsx --expose-gc bench/watchdog-rss-managed-fields.ts [plain|stripped]
import type { KubeApi } from '../src/kube/api.ts';
import { connectKube } from '../src/kube/connect.ts';
import type { KubeObject } from '../src/model/object.ts';
import { MemoryOutboxStore, Notifier } from '../src/notify/index.ts';
import { KubeActuator } from '../src/watchdog/adapters/actions.ts';
import { MemoryJsonStore } from '../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../src/watchdog/adapters/engine.ts';
import { WatchdogRunner } from '../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../src/watchdog/config.ts';

const kubeconfig = process.env.BERTH_BENCH_KUBECONFIG;
if (!kubeconfig) throw new Error('set BERTH_BENCH_KUBECONFIG');
const variant = process.argv[2] === 'stripped' ? 'stripped' : 'plain';

const strip = (o: KubeObject): KubeObject => {
  delete (o.metadata as { managedFields?: unknown }).managedFields;
  return o;
};

/** The port with managedFields removed from lists and watch events. */
function stripped(api: KubeApi): KubeApi {
  return new Proxy(api, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (prop === 'list')
        return async (...args: Parameters<KubeApi['list']>) => {
          const r = await t.list(...args);
          r.items.forEach(strip);
          return r;
        };
      if (prop === 'watch')
        return async function* (...args: Parameters<KubeApi['watch']>) {
          for await (const e of t.watch(...args)) {
            if (e.object) strip(e.object);
            yield e;
          }
        };
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

const api = await connectKube({ kubeconfig });
const kube = variant === 'stripped' ? stripped(api) : api;
const notifier = await Notifier.open({ targets: [], store: new MemoryOutboxStore() });
const engine = new WatchdogEngine({
  ...defaultConfig,
  actuator: new KubeActuator(kube),
  ledger: new MemoryJsonStore(),
  state: new MemoryJsonStore(),
  notify: (n) => notifier.notify(n),
});
const runner = new WatchdogRunner({
  kube,
  engine,
  detectors: defaultConfig.detectors,
  schedules: {},
  metricsIntervalMs: defaultConfig.metricsIntervalMs,
  metricsWindowMs: 700_000,
});
const base = process.memoryUsage();
await runner.start();
await new Promise((r) => setTimeout(r, 20_000));
global.gc?.();
const m = process.memoryUsage();
const pods = (await runner.snapshot()).objects.Pod?.length ?? 0;
const mb = (n: number) => Math.round(n / 2 ** 20);
console.log(
  `VARIANT ${JSON.stringify({ variant, pods, heapUsedMB: mb(m.heapUsed), heapUsedDeltaMB: mb(m.heapUsed - base.heapUsed), rssMB: mb(m.rss), rssDeltaMB: mb(m.rss - base.rss) })}`,
);
await runner.stop();
await notifier.stop();
api.close();
