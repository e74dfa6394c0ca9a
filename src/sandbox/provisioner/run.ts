/**
 * The sandbox provisioner process (`berth sandbox provisioner`, started by `berth sandbox up`):
 * watches claims and volumes, and carries out `planProvisioning` after every change (and every
 * few seconds anyway, so a missed watch event only delays). Serves /healthz on loopback.
 */
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig, StorageV1Api, Watch } from '@kubernetes/client-node';
import { planProvisioning, type ProvisionAction } from './plan.ts';

export interface ProvisionerOptions {
  kubeconfig: string;
  /** Loopback port for /healthz; 0 serves none. @default 0 */
  healthPort?: number;
  /** Full resync period. @default 5000 */
  resyncMs?: number;
  log: (line: string) => void;
  /** Stops the loop when aborted. */
  signal: AbortSignal;
}

function isConflict(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === 409 || code === 404;
}

async function act(core: CoreV1Api, action: ProvisionAction, log: (l: string) => void) {
  try {
    if (action.kind === 'create') {
      await core.createPersistentVolume({ body: action.volume });
      log(`created volume ${action.volume.metadata?.name} for claim ${action.claim}`);
    } else {
      await core.deletePersistentVolume({ name: action.name });
      log(`deleted released volume ${action.name}`);
    }
  } catch (error) {
    // Another pass already did it (or the object went away): the next pass sees the result.
    if (!isConflict(error)) throw error;
  }
}

async function reconcile(core: CoreV1Api, storage: StorageV1Api, log: (l: string) => void) {
  const [claims, volumes, classes] = await Promise.all([
    core.listPersistentVolumeClaimForAllNamespaces(),
    core.listPersistentVolume(),
    storage.listStorageClass(),
  ]);
  const actions = planProvisioning({
    claims: claims.items,
    volumes: volumes.items,
    classes: classes.items,
  });
  for (const action of actions) await act(core, action, log);
}

function serveHealth(port: number, healthy: () => boolean): Server {
  const server = createServer((req, res) => {
    const ok = req.url === '/healthz' && healthy();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ok');
  });
  server.listen(port, '127.0.0.1');
  return server;
}

/** Runs until `signal` aborts. */
export async function runProvisioner(options: ProvisionerOptions): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(options.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const storage = kc.makeApiClient(StorageV1Api);
  const { log, signal } = options;
  let dirty = true;
  let lastSuccess = 0;
  const resyncMs = options.resyncMs ?? 5_000;
  const server = options.healthPort
    ? serveHealth(options.healthPort, () => Date.now() - lastSuccess < resyncMs * 6)
    : undefined;
  const watches: AbortController[] = [];
  const watch = new Watch(kc);
  const startWatch = async (path: string) => {
    while (!signal.aborted) {
      const ended = new Promise<void>((resolve) => {
        watch
          .watch(
            path,
            {},
            () => void (dirty = true),
            () => resolve(),
          )
          .then((c) => watches.push(c))
          .catch(() => resolve());
      });
      await ended;
      if (!signal.aborted) await sleep(1_000);
    }
  };
  void startWatch('/api/v1/persistentvolumeclaims');
  void startWatch('/api/v1/persistentvolumes');
  try {
    let since = 0;
    while (!signal.aborted) {
      if (dirty || Date.now() - since >= resyncMs) {
        dirty = false;
        since = Date.now();
        try {
          await reconcile(core, storage, log);
          lastSuccess = Date.now();
        } catch (error) {
          log(
            `reconcile failed (retrying): ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      await sleep(200, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    for (const c of watches) c.abort();
    server?.close();
  }
}
