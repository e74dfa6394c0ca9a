/** Words for `berth autoscale explain` and the logs (pure). */
import { seconds } from './decide.ts';
import type { ScalePolicy, StepPolicy } from './types.ts';

function step(s: StepPolicy, sign: '+' | '−'): string {
  const size = s.stepType === 'pods' ? `${sign}${s.step}` : `${sign}${s.step}%`;
  const parts = [size];
  if (s.stabilizationMs > 0) parts.push(`after ${seconds(s.stabilizationMs)}`);
  if (s.cooldownMs > 0) parts.push(`cooldown ${seconds(s.cooldownMs)}`);
  if (s.limitReplicas !== undefined)
    parts.push(`at most ${s.limitReplicas} per ${seconds(s.limitPeriodMs)}`);
  return parts.join(', ');
}

/** One line: "above 10 pending: +2, cooldown 4 s; below 2: −1, after 2 s, cooldown 10 s; 5..20 replicas". */
export function describePolicy(p: ScalePolicy): string {
  const rule =
    p.rule.type === 'threshold'
      ? `above ${p.rule.upAbove} pending: ${step(p.up, '+')}; below ${p.rule.downBelow}: ${step(p.down, '−')}`
      : `ceil(pending / ${p.rule.perReplica}) replicas; up ${step(p.up, '+')}; down ${step(p.down, '−')}`;
  const wake = p.min === 0 ? `; wakes from 0 above ${p.activation}` : '';
  return `${rule}; ${p.min}..${p.max} replicas${wake}; an unknown depth holds`;
}
