/**
 * PVC and node disk usage for `pvc-pressure`, from Prometheus (src/sources' reader): kubelet
 * volume stats (`kubelet_volume_stats_used_bytes` / `_capacity_bytes`, joined on namespace and
 * claim) and, when asked, node root filesystems (`node_filesystem_size_bytes` minus
 * `node_filesystem_avail_bytes`, mountpoint "/"). Bounded by the caller's signal. Without a
 * configured Prometheus, usage is "not measured" — said, never an empty pass.
 */
import { queryVector, type PrometheusSeries } from '../../sources/prometheus.ts';
import type { VolumeUsage } from '../model.ts';

export interface VolumeUsageSource {
  url: string;
  nodeFilesystem: boolean;
}

export const notMeasured =
  'not measured: no metrics.prometheus.url in the Watchdog document (kubelet volume stats come from Prometheus)';

const nodeOf = (l: Record<string, string>): string => l.node ?? l.instance ?? '';

export async function readVolumeUsage(
  source: VolumeUsageSource,
  signal: AbortSignal,
): Promise<VolumeUsage[]> {
  const q = (query: string): Promise<PrometheusSeries[]> =>
    queryVector(source.url, query, { signal });
  const [used, capacity] = await Promise.all([
    q('kubelet_volume_stats_used_bytes'),
    q('kubelet_volume_stats_capacity_bytes'),
  ]);
  const key = (l: Record<string, string>): string =>
    `${l.namespace ?? ''}/${l.persistentvolumeclaim ?? ''}`;
  const capacityOf = new Map(capacity.map((s) => [key(s.labels), s.value]));
  const out: VolumeUsage[] = [];
  for (const s of used) {
    const cap = capacityOf.get(key(s.labels));
    const { namespace, persistentvolumeclaim: pvc } = s.labels;
    if (cap === undefined || !namespace || !pvc) continue;
    out.push({ node: nodeOf(s.labels), namespace, pvc, usedBytes: s.value, capacityBytes: cap });
  }
  if (source.nodeFilesystem) {
    const [size, avail] = await Promise.all([
      q('node_filesystem_size_bytes{mountpoint="/"}'),
      q('node_filesystem_avail_bytes{mountpoint="/"}'),
    ]);
    const availOf = new Map(avail.map((s) => [nodeOf(s.labels), s.value]));
    for (const s of size) {
      const free = availOf.get(nodeOf(s.labels));
      if (free === undefined) continue;
      out.push({ node: nodeOf(s.labels), usedBytes: s.value - free, capacityBytes: s.value });
    }
  }
  return out;
}
