/**
 * Seed 003's `daily-cluster-report`: always delivered. Node count and status, the top 5 pods by
 * CPU and by memory, pods not Running, Argo CD apps OutOfSync, and certificate warnings, as the
 * evidence lines of one info finding.
 */
import type { Detector } from '../model.ts';
import { certExpiry } from './cert-expiry.ts';
import { conditionOf, finding, list, stringAt } from './helpers.ts';

const id = 'daily-cluster-report';
const mi = 1024 ** 2;

export const dailyClusterReport: Detector = {
  id,
  severity: 'info',
  description:
    'The daily report (default 08:00): node count and how many are Ready, the top 5 pods by CPU and by memory (metrics.k8s.io), the number of pods not Running or Succeeded, Argo CD apps OutOfSync, and certificates expiring soon. Always delivered, even when all is well.',
  remediation: 'Nothing to do unless a line says otherwise.',
  reads: [
    'Node',
    'Pod',
    'argoproj.io/Application',
    'cert-manager.io/Certificate',
    'Secret',
    'metrics',
  ],
  trigger: 'schedule',
  schedule: '0 8 * * *',
  always: true,
  detect(state, options) {
    const nodes = list(state, 'Node');
    const ready = nodes.filter((n) => conditionOf(n, 'Ready')?.status === 'True').length;
    const pods = list(state, 'Pod');
    const notRunning = pods.filter(
      (p) => !['Running', 'Succeeded'].includes(stringAt(p, 'status.phase') ?? ''),
    );
    const apps = list(state, 'argoproj.io/Application');
    const outOfSync = apps.filter((a) => stringAt(a, 'status.sync.status') === 'OutOfSync').length;
    const certs = certExpiry.detect(state, options);
    const usage = [...(state.podUsage ?? [])];
    const top = (key: 'cpu' | 'memory', show: (v: number) => string) =>
      usage
        .sort((a, b) => b[key] - a[key] || a.name.localeCompare(b.name))
        .slice(0, 5)
        .map((p) => `${p.namespace}/${p.name} ${show(p[key])}`)
        .join(', ') || 'no metrics';
    const evidence = [
      `nodes: ${nodes.length} (${ready} Ready${nodes.length - ready ? `, ${nodes.length - ready} not Ready` : ''})`,
      `pods: ${pods.length}, not Running: ${notRunning.length}${
        notRunning.length
          ? ` (${notRunning
              .slice(0, 5)
              .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
              .join(', ')})`
          : ''
      }`,
      `top CPU: ${top('cpu', (v) => `${Math.round(v * 1000)}m`)}`,
      `top memory: ${top('memory', (v) => `${Math.round(v / mi)}Mi`)}`,
      `Argo CD apps: ${apps.length}, OutOfSync: ${outOfSync}`,
      `certificates expiring within ${options.certificateDays} days: ${certs.length}${
        certs.length
          ? ` (${certs
              .slice(0, 5)
              .map((c) => `${c.object.namespace}/${c.object.name}`)
              .join(', ')})`
          : ''
      }`,
    ];
    const day = new Date(state.now).toISOString().slice(0, 10);
    return [
      finding(id, {
        severity: 'info',
        object: { apiVersion: 'v1', kind: 'Cluster', name: `report-${day}` },
        reason: 'DailyReport',
        message: `cluster report ${day}: ${ready}/${nodes.length} nodes Ready, ${notRunning.length} pods not Running, ${outOfSync} apps OutOfSync, ${certs.length} certificate warnings`,
        evidence,
      }),
    ];
  },
};
