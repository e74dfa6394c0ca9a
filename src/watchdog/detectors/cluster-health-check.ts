/**
 * Seed 003's `cluster-health-check`: nodes not Ready, pods that are neither Running nor Succeeded
 * (phase Failed or Unknown, or stuck starting), and Warning events of the last 20 minutes that no
 * more specific detector explains. A NotReady node is one finding; its pods are grouped under it.
 */
import { describeRef } from '../../model/object.ts';
import type { Detector, Finding } from '../model.ts';
import { explainPod } from '../../deploy/readiness/index.ts';
import {
  ageMs,
  conditionOf,
  finding,
  humanDuration,
  list,
  numberAt,
  ownerOf,
  stringAt,
} from './helpers.ts';

const id = 'cluster-health-check';

/** Event reasons another detector reports with more context (not repeated as plain events). */
export const explainedEventReasons = new Set([
  'BackOff',
  'Failed',
  'FailedScheduling',
  'OOMKilling',
  'BackoffLimitExceeded',
  'DeadlineExceeded',
  'NodeNotReady',
  'FailedGetResourceMetric',
  'FailedComputeMetricsReplicas',
]);

export const clusterHealthCheck: Detector = {
  id,
  severity: 'critical',
  description:
    'Nodes whose Ready condition is not True (critical; the pods on them are grouped into the node incident), pods in phase Failed or Unknown, pods still starting after the pending grace (5 min), and Warning events of the last 20 minutes not explained by another detector, one finding per object and reason.',
  remediation:
    'Read the node conditions or the event message; fix the node, or the workload the events name.',
  reads: ['Node', 'Pod', 'Event'],
  trigger: 'watch',
  detect(state, options) {
    const out: Finding[] = [];
    for (const node of list(state, 'Node')) {
      const ready = conditionOf(node, 'Ready');
      if (ready?.status === 'True') continue;
      const pods = list(state, 'Pod').filter(
        (p) => stringAt(p, 'spec.nodeName') === node.metadata.name,
      );
      const since = ageMs(
        (ready as { lastTransitionTime?: string } | undefined)?.lastTransitionTime,
        state.now,
      );
      out.push(
        finding(id, {
          severity: 'critical',
          object: node,
          reason: 'NodeNotReady',
          message: `node ${node.metadata.name} is not Ready${ready?.reason ? ` (${ready.reason})` : ''}`,
          evidence: [
            `Ready=${ready?.status ?? 'missing'}${ready?.message ? `: ${ready.message}` : ''}`,
            ...(since !== undefined ? [`for ${humanDuration(since)}`] : []),
            `${pods.length} pod(s) on the node`,
          ],
        }),
      );
    }
    for (const pod of list(state, 'Pod')) {
      const phase = stringAt(pod, 'status.phase') ?? 'Pending';
      const node = stringAt(pod, 'spec.nodeName');
      if (phase === 'Failed' || phase === 'Unknown') {
        const reason = stringAt(pod, 'status.reason') ?? `Pod${phase}`;
        out.push(
          finding(id, {
            severity: 'warning',
            object: pod,
            reason,
            message: `pod ${pod.metadata.namespace}/${pod.metadata.name} is ${phase}${stringAt(pod, 'status.message') ? `: ${stringAt(pod, 'status.message')}` : ''}`,
            evidence: [`phase ${phase}`, ...(node ? [`node ${node}`] : [])],
            owner: ownerOf(state, pod),
            node,
          }),
        );
        continue;
      }
      if (phase !== 'Pending' || !node || pod.metadata.deletionTimestamp) continue;
      const age = ageMs(pod.metadata.creationTimestamp, state.now);
      const explained = explainPod(pod);
      if (age === undefined || age < options.pendingGraceMs || explained.state === 'fatal')
        continue;
      out.push(
        finding(id, {
          severity: 'warning',
          object: pod,
          reason: 'PodStuckStarting',
          message: `pod ${pod.metadata.namespace}/${pod.metadata.name} has been starting for ${humanDuration(age)}: ${explained.blocking.message}`,
          evidence: [`phase Pending on node ${node}`, explained.blocking.message],
          owner: ownerOf(state, pod),
          node,
        }),
      );
    }
    out.push(...warningEvents(state, options.eventWindowMs));
    return out;
  },
};

function warningEvents(state: Parameters<Detector['detect']>[0], windowMs: number): Finding[] {
  const groups = new Map<string, Finding>();
  for (const ev of list(state, 'Event')) {
    if (stringAt(ev, 'type') !== 'Warning') continue;
    const reason = stringAt(ev, 'reason') ?? 'Warning';
    if (explainedEventReasons.has(reason)) continue;
    const last =
      stringAt(ev, 'lastTimestamp') ??
      stringAt(ev, 'eventTime') ??
      stringAt(ev, 'metadata.creationTimestamp');
    const age = ageMs(last, state.now);
    if (age === undefined || age > windowMs) continue;
    const involved = (
      ev as {
        involvedObject?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
      }
    ).involvedObject;
    if (!involved?.kind || !involved.name) continue;
    // Events about namespaced objects sometimes leave involvedObject.namespace empty: the
    // event's own namespace is then the object's.
    const namespace = involved.namespace || ev.metadata.namespace;
    const object = {
      apiVersion: involved.apiVersion ?? 'v1',
      kind: involved.kind,
      name: involved.name,
      ...(namespace && involved.kind !== 'Node' ? { namespace } : {}),
    };
    const pod =
      involved.kind === 'Pod'
        ? list(state, 'Pod').find(
            (p) => p.metadata.name === involved.name && p.metadata.namespace === namespace,
          )
        : undefined;
    const owner = pod ? ownerOf(state, pod) : undefined;
    const f = finding(id, {
      severity: 'warning',
      object,
      reason,
      message: `${describeRef(object)}: ${reason}: ${stringAt(ev, 'message') ?? ''}`.trim(),
      evidence: [`${numberAt(ev, 'count', 1)}× ${reason}: ${stringAt(ev, 'message') ?? ''}`],
      owner,
      node: pod ? stringAt(pod, 'spec.nodeName') : undefined,
    });
    const seen = groups.get(f.fingerprint);
    if (!seen) groups.set(f.fingerprint, f);
    else if (seen.evidence.length < 5) seen.evidence.push(...f.evidence);
  }
  return [...groups.values()];
}
