/**
 * The policy decision, pure: given an incident, the policy and the ledger, say whether to act
 * (and exactly what), to only notify (with a proposed command), to escalate (budget spent,
 * breaker open), or to wait (cooldown). Nothing here can write to a cluster; the adapter does
 * what the decision says and nothing else. Never a cluster-scoped target.
 */
import type { ObjectRef } from '../../model/object.ts';
import type { Incident } from '../incidents.ts';
import { commandFor, isRestartable, proposeCommand } from './commands.ts';
import { actionsLastHour, actionsOnTargetLastHour, isBreakerOpen, lastActionOn } from './ledger.ts';
import { classifyTermination, type TransientVerdict } from './transient.ts';
import type { AllowedAction, LedgerEntry, PlannedAction, Policy } from './types.ts';

export type Decision =
  | { type: 'act'; action: PlannedAction; because: string; verdict?: TransientVerdict }
  | { type: 'dry-run'; action: PlannedAction; because: string; verdict?: TransientVerdict }
  | { type: 'notify'; because: string; proposal?: string; verdict?: TransientVerdict }
  | { type: 'escalate'; because: string; proposal?: string }
  | { type: 'wait'; because: string };

export interface DecisionInput {
  incident: Incident;
  policy: Policy;
  ledger: readonly LedgerEntry[];
  now: number;
  /** The target's current spec.replicas, for `scale`. */
  currentReplicas?: number;
}

export function decide(input: DecisionInput): Decision {
  const { incident, policy } = input;
  const proposal = proposeCommand(incident);
  const notify = (because: string, verdict?: TransientVerdict): Decision => {
    const d: Decision = { type: 'notify', because };
    if (proposal) d.proposal = proposal;
    if (verdict) d.verdict = verdict;
    return d;
  };
  const allowed = policy.actions.filter((a) => a.detectors.includes(incident.detector));
  if (allowed.length === 0) return notify(`no action of the policy covers ${incident.detector}`);
  const subjectNs = incident.subject.namespace;
  if (subjectNs === undefined)
    return notify(
      `${incident.subject.kind} ${incident.subject.name} is cluster-scoped: berth never writes cluster-scoped objects`,
    );
  if (!inScope(subjectNs, policy))
    return notify(`namespace ${subjectNs} is outside the watchdog's scope`);
  let planned: { action: PlannedAction; rule: AllowedAction } | undefined;
  let why = '';
  for (const rule of allowed) {
    const p = plan(rule, incident, input.currentReplicas);
    if (typeof p === 'string') why = p;
    else {
      planned = { action: p, rule };
      break;
    }
  }
  if (!planned) return notify(why);
  let verdict: TransientVerdict | undefined;
  if (planned.rule.transientOnly) {
    const lead = incident.findings.find((f) => f.termination || f.excerpt) ?? incident.findings[0];
    verdict = classifyTermination(lead?.termination, lead?.excerpt);
    if (!verdict.transient) return notify(`not acting: ${verdict.because}`, verdict);
  }
  const { action } = planned;
  const withVerdict = <D extends Decision>(d: D): D => (verdict ? { ...d, verdict } : d);
  if (policy.dryRun)
    return withVerdict({
      type: 'dry-run',
      action,
      because: `dry-run: would run ${action.command}`,
    });
  if (isBreakerOpen(input.ledger, policy, input.now))
    return escalate(
      `the circuit breaker is open: the last ${policy.breakerFailures} remediations failed; a human must look`,
      proposal ?? action.command,
    );
  const last = lastActionOn(input.ledger, action.target);
  if (last && input.now - last.at < policy.cooldownMs) {
    if (last.status === 'failed')
      return escalate(
        `remediation ${last.id} (${last.action.action}) did not fix it: ${last.result ?? 'not ready in time'}`,
        proposal ?? action.command,
      );
    return {
      type: 'wait',
      because: `cooldown: ${last.action.action} ran ${Math.round((input.now - last.at) / 1000)} s ago (${last.id}, ${last.status})`,
    };
  }
  if (actionsOnTargetLastHour(input.ledger, action.target, input.now) >= policy.perWorkloadPerHour)
    return escalate(
      `budget spent: ${policy.perWorkloadPerHour} action(s) on ${describe(action.target)} in the last hour`,
      proposal ?? action.command,
    );
  if (actionsLastHour(input.ledger, input.now) >= policy.perClusterPerHour)
    return escalate(
      `cluster budget spent: ${policy.perClusterPerHour} action(s) in the last hour`,
      proposal ?? action.command,
    );
  return withVerdict({
    type: 'act',
    action,
    because: verdict
      ? verdict.because
      : `allowed by the policy (${planned.rule.action} for ${incident.detector})`,
  });
}

function escalate(because: string, proposal: string): Decision {
  return { type: 'escalate', because, proposal };
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

export function inScope(namespace: string, policy: Pick<Policy, 'include' | 'exclude'>): boolean {
  if (policy.exclude.includes(namespace)) return false;
  return policy.include.length === 0 || policy.include.includes(namespace);
}

/** The concrete action a rule allows for this incident, or why it does not apply. */
function plan(
  rule: AllowedAction,
  incident: Incident,
  currentReplicas: number | undefined,
): PlannedAction | string {
  const s = incident.subject;
  const with_ = (a: Omit<PlannedAction, 'command'>): PlannedAction => ({
    ...a,
    command: commandFor(a),
  });
  switch (rule.action) {
    case 'rollout-restart':
      return isRestartable(s)
        ? with_({ action: 'rollout-restart', target: s })
        : `rollout-restart needs a Deployment, StatefulSet or DaemonSet, not ${s.kind}`;
    case 'delete-pod': {
      const pod = incident.findings.find(
        (f) => f.object.kind === 'Pod' && f.owner && f.object.namespace,
      );
      return pod
        ? with_({ action: 'delete-pod', target: pod.object })
        : 'delete-pod needs a pod that a controller recreates';
    }
    case 'delete-job': {
      const job = incident.findings.find((f) => f.object.kind === 'Job' && f.object.namespace);
      return job
        ? with_({ action: 'delete-job', target: job.object })
        : 'delete-job needs a failed Job';
    }
    case 'scale': {
      if (s.kind !== 'Deployment' && s.kind !== 'StatefulSet')
        return `scale needs a Deployment or StatefulSet, not ${s.kind}`;
      if (currentReplicas === undefined) return 'scale needs the current replica count';
      const min = rule.minReplicas ?? currentReplicas;
      const max = rule.maxReplicas ?? currentReplicas;
      const replicas = Math.min(max, Math.max(min, currentReplicas));
      if (replicas === currentReplicas)
        return `replicas ${currentReplicas} already within ${min}..${max}`;
      return with_({ action: 'scale', target: s, replicas });
    }
  }
}
