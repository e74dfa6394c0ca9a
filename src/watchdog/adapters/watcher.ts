/**
 * Keeps the watched cluster state: one informer (list + watch, src/kube/informer.ts) per kind the
 * enabled detectors read, no polling. Kinds the server does not serve (Argo CD, cert-manager,
 * KEDA not installed) or that RBAC forbids are recorded as unavailable and skipped, not fatal.
 */
import type { KubeApi } from '../../kube/api.ts';
import { ForbiddenError } from '../../kube/errors.ts';
import { Informer, withoutManagedFields } from '../../kube/informer.ts';
import type { KubeObject } from '../../model/object.ts';

/** The apiVersion berth watches each kind key at. */
export const watchedVersions: Readonly<Record<string, string>> = {
  Node: 'v1',
  Pod: 'v1',
  Event: 'v1',
  Service: 'v1',
  Secret: 'v1',
  PersistentVolumeClaim: 'v1',
  'apps/Deployment': 'apps/v1',
  'apps/ReplicaSet': 'apps/v1',
  'apps/StatefulSet': 'apps/v1',
  'apps/DaemonSet': 'apps/v1',
  'batch/Job': 'batch/v1',
  'batch/CronJob': 'batch/v1',
  'discovery.k8s.io/EndpointSlice': 'discovery.k8s.io/v1',
  'autoscaling/HorizontalPodAutoscaler': 'autoscaling/v2',
  'keda.sh/ScaledObject': 'keda.sh/v1alpha1',
  'argoproj.io/Application': 'argoproj.io/v1alpha1',
  'cert-manager.io/Certificate': 'cert-manager.io/v1',
};

/** Server-side filters: only Warning events; only TLS Secrets (and their tls.key is dropped). */
const fieldSelectors: Readonly<Record<string, string>> = {
  Event: 'type=Warning',
  Secret: 'type=kubernetes.io/tls',
};

export interface WatcherOptions {
  /** Called after every change (the caller debounces). */
  onChange: () => void;
  log?: (line: string) => void;
}

export class ClusterWatcher {
  private readonly informers = new Map<string, Informer>();
  /** Kind key → why it is not watched. */
  readonly unavailable = new Map<string, string>();

  constructor(
    private readonly kube: KubeApi,
    private readonly kinds: readonly string[],
    private readonly opts: WatcherOptions,
  ) {}

  /** Lists every kind (resolves when all caches are filled), then watches in the background. */
  async start(): Promise<void> {
    await Promise.all(this.kinds.map((key) => this.startOne(key)));
  }

  private async startOne(key: string): Promise<void> {
    const apiVersion = watchedVersions[key];
    const kind = key.slice(key.indexOf('/') + 1);
    if (!apiVersion) {
      this.unavailable.set(key, 'berth does not know which version to watch');
      return;
    }
    const served = await this.kube.resource(apiVersion, kind).catch(() => undefined);
    if (!served) {
      this.unavailable.set(key, `${apiVersion} ${kind} is not served by this cluster`);
      return;
    }
    const selector = fieldSelectors[key];
    const informer = new Informer(
      this.kube,
      { apiVersion, kind },
      { ...(selector ? { fieldSelector: selector } : {}), transform: withoutManagedFields },
    );
    const changed = () => this.opts.onChange();
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (e) =>
      this.opts.log?.(`watch ${key}: ${e instanceof Error ? e.message : String(e)}`),
    );
    try {
      await informer.start();
      this.informers.set(key, informer);
    } catch (error) {
      const why =
        error instanceof ForbiddenError
          ? 'forbidden by RBAC'
          : error instanceof Error
            ? error.message
            : String(error);
      this.unavailable.set(key, why);
      this.opts.log?.(`not watching ${key}: ${why}`);
    }
  }

  /** The current objects, keyed by kind key (Secrets without their private keys). */
  objects(): Record<string, KubeObject[]> {
    const out: Record<string, KubeObject[]> = {};
    for (const [key, informer] of this.informers)
      out[key] = key === 'Secret' ? informer.list().map(publicPart) : informer.list();
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}

/** A TLS Secret with only its certificate: the private key never enters the watchdog's state. */
function publicPart(secret: KubeObject): KubeObject {
  const data = (secret as { data?: Record<string, string> }).data ?? {};
  const crt = data['tls.crt'];
  return { ...secret, data: crt ? { 'tls.crt': crt } : {} };
}
