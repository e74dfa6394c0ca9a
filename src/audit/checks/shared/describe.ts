/** Naming objects and containers in messages, field paths of security contexts, fix-op builders. */
import { describeRef, refOf } from '../../../model/object.ts';
import type { PathSegment } from '../../../yaml/stream.ts';
import type { ContainerRef, Workload } from '../../engine/pods.ts';
import type { FixOp, LocatedObject } from '../../engine/types.ts';

export function nameOf(target: LocatedObject): string {
  return describeRef(refOf(target.object));
}

export function containerLabel(workload: Workload, ref: ContainerRef): string {
  const kind =
    ref.kind === 'containers'
      ? 'container'
      : ref.kind === 'initContainers'
        ? 'init container'
        : 'ephemeral container';
  return `${nameOf(workload.target)} ${kind} "${ref.name}"`;
}

export function securityPath(ref: ContainerRef, ...rest: PathSegment[]): PathSegment[] {
  return [...ref.path, 'securityContext', ...rest];
}

export function podSecurityPath(workload: Workload, ...rest: PathSegment[]): PathSegment[] {
  return [...workload.specPath, 'securityContext', ...rest];
}

export function set(path: PathSegment[], value: unknown): FixOp {
  return { op: 'set', path, value };
}

/** Pods that serve (probes make sense): not Jobs or CronJobs. */
export function isServing(workload: Workload): boolean {
  return workload.target.object.kind !== 'Job' && workload.target.object.kind !== 'CronJob';
}
