/** Shared by the Pod Security checks: the pod's containers and security contexts, and relaxations. */
import {
  isRecord,
  type Container,
  type PodSpec,
  type SecurityContext,
  type Workload,
} from './pods.ts';

/** One versioned check of the reference: a reason when the pod violates it. */
export type PodCheck = (meta: Workload['meta'], spec: PodSpec) => string | undefined;

export function containersOf(spec: PodSpec): Container[] {
  const out: Container[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[key];
    if (Array.isArray(list)) for (const c of list) if (isRecord(c)) out.push(c);
  }
  return out;
}

export function sc(c: Container): SecurityContext {
  return isRecord(c.securityContext) ? c.securityContext : {};
}

export function podSc(spec: PodSpec): SecurityContext {
  return isRecord(spec.securityContext) ? spec.securityContext : {};
}

export function names(cs: Container[]): string {
  return cs.map((c) => `"${String(c.name)}"`).join(', ');
}

export const isWindows = (spec: PodSpec): boolean =>
  isRecord(spec.os) && spec.os.name === 'windows';
export const userNamespace = (spec: PodSpec): boolean => spec.hostUsers === false;

export function unlessWindows(check: PodCheck): PodCheck {
  return (meta, spec) => (isWindows(spec) ? undefined : check(meta, spec));
}

export function unlessUserNamespace(check: PodCheck): PodCheck {
  return (meta, spec) => (userNamespace(spec) ? undefined : check(meta, spec));
}
