/**
 * pvc-pressure fed for real: a real Prometheus (started here) scrapes a tiny exporter serving
 * kubelet volume stats and node filesystem series; the watchdog reads them through src/sources'
 * Prometheus reader and the detector fires on the full claim and the full node, not the others.
 * Without a configured Prometheus, `check` says PVC usage is not measured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { snapshotOnce } from '../../src/cli/commands/watchdog/check.ts';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { queryVector } from '../../src/sources/prometheus.ts';
import { notMeasured, readVolumeUsage } from '../../src/watchdog/adapters/volume-usage.ts';
import { pvcPressure } from '../../src/watchdog/detectors/pvc-pressure.ts';
import { defaultDetectorOptions } from '../../src/watchdog/model.ts';
import { startHttpServer, startPrometheus } from '../support/servers.ts';

const gi = 1024 ** 3;
const exposition = [
  '# TYPE kubelet_volume_stats_used_bytes gauge',
  `kubelet_volume_stats_used_bytes{namespace="db",persistentvolumeclaim="data-pg-0",node="n1"} ${9 * gi}`,
  `kubelet_volume_stats_used_bytes{namespace="db",persistentvolumeclaim="cache",node="n2"} ${1 * gi}`,
  '# TYPE kubelet_volume_stats_capacity_bytes gauge',
  `kubelet_volume_stats_capacity_bytes{namespace="db",persistentvolumeclaim="data-pg-0",node="n1"} ${10 * gi}`,
  `kubelet_volume_stats_capacity_bytes{namespace="db",persistentvolumeclaim="cache",node="n2"} ${10 * gi}`,
  '# TYPE node_filesystem_size_bytes gauge',
  `node_filesystem_size_bytes{node="n1",mountpoint="/"} ${100 * gi}`,
  `node_filesystem_size_bytes{node="n2",mountpoint="/"} ${100 * gi}`,
  `node_filesystem_size_bytes{node="n2",mountpoint="/boot"} ${1 * gi}`,
  '# TYPE node_filesystem_avail_bytes gauge',
  `node_filesystem_avail_bytes{node="n1",mountpoint="/"} ${4 * gi}`,
  `node_filesystem_avail_bytes{node="n2",mountpoint="/"} ${60 * gi}`,
  `node_filesystem_avail_bytes{node="n2",mountpoint="/boot"} ${0}`,
  '',
].join('\n');

test('PVC and node disk usage from a real Prometheus scraping kubelet-style series', async (t) => {
  const exporter = await startHttpServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(exposition);
  }, t);
  const prom = await startPrometheus({ targets: [`127.0.0.1:${exporter.port}`] }, t);
  t.after(() => prom.dispose());
  const deadline = Date.now() + 30_000;
  while (
    (
      await queryVector(prom.url, 'node_filesystem_avail_bytes', {
        signal: AbortSignal.timeout(2000),
      }).catch(() => [])
    ).length < 3
  ) {
    assert.ok(Date.now() < deadline, 'prometheus scraped the exporter within 30 s');
    await sleep(250);
  }
  const usage = await readVolumeUsage(
    { url: prom.url, nodeFilesystem: true },
    AbortSignal.timeout(10_000),
  );
  const byName = Object.fromEntries(
    usage.map((u) => [u.pvc ? `${u.namespace}/${u.pvc}` : `node ${u.node}`, u]),
  );
  assert.deepEqual(Object.keys(byName).sort(), ['db/cache', 'db/data-pg-0', 'node n1', 'node n2']);
  assert.equal(byName['db/data-pg-0']?.usedBytes, 9 * gi);
  assert.equal(byName['db/data-pg-0']?.node, 'n1');
  assert.equal(byName['node n1']?.usedBytes, 96 * gi, '/ only: size minus available');

  const findings = pvcPressure.detect(
    { now: Date.now(), objects: {}, volumeUsage: usage },
    defaultDetectorOptions,
  );
  assert.deepEqual(findings.map((f) => [f.reason, f.object.name, f.severity]).sort(), [
    ['NodeDiskNearlyFull', 'n1', 'critical'],
    ['VolumeNearlyFull', 'data-pg-0', 'warning'],
  ]);

  const withoutNodes = await readVolumeUsage(
    { url: prom.url, nodeFilesystem: false },
    AbortSignal.timeout(10_000),
  );
  assert.equal(withoutNodes.filter((u) => !u.pvc).length, 0, 'node disks only when asked');
});

test('check without a configured Prometheus says PVC usage is not measured', async () => {
  const kube = new MemoryKube();
  const snap = await snapshotOnce(kube, ['PersistentVolumeClaim', 'metrics'], 60_000);
  assert.equal(snap.unavailable['PVC usage'], notMeasured);
  assert.equal(snap.state.volumeUsage, undefined);
});

test('check with an unreachable Prometheus says so instead of reporting nothing', async () => {
  const kube = new MemoryKube();
  const snap = await snapshotOnce(kube, ['PersistentVolumeClaim', 'metrics'], 60_000, {
    url: 'http://127.0.0.1:9',
    nodeFilesystem: false,
  });
  assert.match(
    snap.unavailable['PVC usage'] ?? '',
    /^not measured: Prometheus http:\/\/127\.0\.0\.1:9 failed/,
  );
});
