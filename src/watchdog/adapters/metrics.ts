/**
 * Polls metrics.k8s.io (NodeMetrics, PodMetrics) at an interval and keeps a window of node
 * samples for the "sustained" rule. When the cluster serves no metrics API, it says so once and
 * the usage detectors see no samples (they report nothing rather than guess).
 */
import type { KubeApi } from '../../kube/api.ts';
import { operationBounds } from '../../kube/api.ts';
import { parseQuantity } from '../../model/quantity.ts';
import type { NodeUsageSample, PodUsage } from '../model.ts';

const api = 'metrics.k8s.io/v1beta1';

interface Usage {
  usage?: { cpu?: string; memory?: string };
}

export class MetricsPoller {
  private samples: NodeUsageSample[] = [];
  pods: PodUsage[] = [];
  available: boolean | undefined;

  constructor(
    private readonly kube: KubeApi,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get nodeUsage(): readonly NodeUsageSample[] {
    return this.samples;
  }

  /** One poll; resolves false when the metrics API is not served. */
  async poll(): Promise<boolean> {
    if (this.available === undefined)
      this.available =
        (await this.kube.resource(api, 'NodeMetrics').catch(() => undefined)) !== undefined;
    if (!this.available) return false;
    const at = this.now();
    const [nodes, pods] = await Promise.all([
      this.kube.list({ apiVersion: api, kind: 'NodeMetrics' }, operationBounds(15_000)),
      this.kube.list({ apiVersion: api, kind: 'PodMetrics' }, operationBounds(15_000)),
    ]);
    for (const n of nodes.items) {
      const u = (n as Usage).usage;
      this.samples.push({
        node: n.metadata.name,
        at,
        cpu: parseQuantity(u?.cpu) ?? 0,
        memory: parseQuantity(u?.memory) ?? 0,
      });
    }
    this.samples = this.samples.filter((s) => s.at >= at - this.windowMs);
    this.pods = pods.items.map((p) => {
      const containers = ((p as { containers?: Usage[] }).containers ?? []).map(
        (c) => c.usage ?? {},
      );
      return {
        namespace: p.metadata.namespace ?? '',
        name: p.metadata.name,
        cpu: containers.reduce((s, c) => s + (parseQuantity(c.cpu) ?? 0), 0),
        memory: containers.reduce((s, c) => s + (parseQuantity(c.memory) ?? 0), 0),
      };
    });
    return true;
  }
}
