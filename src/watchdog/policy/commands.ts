/** kubectl commands for actions and proposals: what a human would type for the same step. */
import type { ObjectRef } from '../../model/object.ts';
import type { Incident } from '../incidents.ts';
import type { PlannedAction } from './types.ts';

function resource(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}
function ns(ref: ObjectRef): string {
  return ref.namespace ? `-n ${ref.namespace} ` : '';
}

export function commandFor(action: Omit<PlannedAction, 'command'>): string {
  const t = action.target;
  switch (action.action) {
    case 'rollout-restart':
      return `kubectl ${ns(t)}rollout restart ${resource(t)}`;
    case 'delete-pod':
      return `kubectl ${ns(t)}delete pod ${t.name}`;
    case 'scale':
      return `kubectl ${ns(t)}scale ${resource(t)} --replicas=${action.replicas ?? 0}`;
    case 'delete-job':
      return `kubectl ${ns(t)}delete job ${t.name}`;
  }
}

/**
 * The command proposed when berth may not (or should not) act: cluster-scoped fixes (nodes)
 * and everything outside the allowlist. A human reads it and decides.
 */
export function proposeCommand(incident: Incident): string | undefined {
  const s = incident.subject;
  const lead = incident.findings[0];
  switch (incident.reason) {
    case 'NodeNotReady':
      return `kubectl describe node ${s.name}\n# if it does not come back: kubectl drain ${s.name} --ignore-daemonsets --delete-emptydir-data`;
    case 'ProgressDeadlineExceeded':
    case 'ReplicaFailure':
      return `kubectl ${ns(s)}rollout undo ${resource(s)}`;
    case 'CrashLoopBackOff':
    case 'OOMKilled':
      return lead && lead.object.kind === 'Pod'
        ? `kubectl ${ns(lead.object)}logs ${lead.object.name} --previous${lead.termination ? ` -c ${lead.termination.container}` : ''}\n` +
            (isRestartable(s)
              ? `kubectl ${ns(s)}rollout restart ${resource(s)}`
              : `kubectl ${ns(lead.object)}delete pod ${lead.object.name}`)
        : undefined;
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'InvalidImageName':
      return lead
        ? `kubectl ${ns(lead.object)}describe pod ${lead.object.name}  # check the image name, tag and imagePullSecrets`
        : undefined;
    case 'CreateContainerConfigError':
      return lead
        ? `kubectl ${ns(lead.object)}describe pod ${lead.object.name}  # a ConfigMap or Secret key it references is missing`
        : undefined;
    case 'BackoffLimitExceeded':
    case 'DeadlineExceeded':
      return lead
        ? `kubectl ${ns(lead.object)}logs job/${lead.object.name}\nkubectl ${ns(lead.object)}delete job ${lead.object.name}`
        : undefined;
    case 'VolumeNearlyFull':
      return `kubectl ${ns(s)}patch pvc ${s.name} -p '{"spec":{"resources":{"requests":{"storage":"<bigger size>"}}}}'`;
    case 'OutOfSync':
    case 'Degraded':
    case 'Missing':
      return `argocd app sync ${s.name}  # or: argocd app get ${s.name}`;
    default:
      return undefined;
  }
}

export function isRestartable(ref: ObjectRef): boolean {
  return (
    ['Deployment', 'StatefulSet', 'DaemonSet'].includes(ref.kind) && ref.namespace !== undefined
  );
}
