/** Seed 003's `argocd-sync-health`: Argo CD Applications OutOfSync, Degraded or Missing. */
import type { Detector, Finding } from '../model.ts';
import { finding, list, stringAt } from './helpers.ts';

const id = 'argocd-sync-health';

export const argocdSyncHealth: Detector = {
  id,
  severity: 'critical',
  description:
    'Argo CD Applications whose health is Degraded or Missing (critical) or whose sync status is OutOfSync (warning), with the revision and the last operation message.',
  remediation:
    'Open the Application in Argo CD: sync it, or fix the resource its health message names.',
  reads: ['argoproj.io/Application'],
  trigger: 'watch',
  detect(state) {
    const out: Finding[] = [];
    for (const app of list(state, 'argoproj.io/Application')) {
      const sync = stringAt(app, 'status.sync.status');
      const health = stringAt(app, 'status.health.status');
      const evidence = [
        `sync ${sync ?? 'unknown'}${stringAt(app, 'status.sync.revision') ? ` at ${stringAt(app, 'status.sync.revision')?.slice(0, 12)}` : ''}`,
        `health ${health ?? 'unknown'}${stringAt(app, 'status.health.message') ? `: ${stringAt(app, 'status.health.message')}` : ''}`,
      ];
      const op = stringAt(app, 'status.operationState.message');
      if (op) evidence.push(`last operation: ${op}`);
      const name = `${app.metadata.namespace}/${app.metadata.name}`;
      if (health === 'Degraded' || health === 'Missing')
        out.push(
          finding(id, {
            severity: 'critical',
            object: app,
            reason: health,
            message: `Argo CD app ${name} is ${health}`,
            evidence,
          }),
        );
      else if (sync === 'OutOfSync')
        out.push(
          finding(id, {
            severity: 'warning',
            object: app,
            reason: 'OutOfSync',
            message: `Argo CD app ${name} is OutOfSync`,
            evidence,
          }),
        );
    }
    return out;
  },
};
