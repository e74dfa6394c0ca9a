import { compareQuantities } from '../../model/quantity.ts';
import { isRecord, runningContainers, type ContainerRef, type Workload } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';

/** The pod template annotation that states the Guaranteed intent explicitly. */
export const qosAnnotation = 'berth.dev/qos-class';

function resourcesOf(c: ContainerRef): {
  requests: Record<string, unknown>;
  limits: Record<string, unknown>;
} {
  const r = isRecord(c.container.resources) ? c.container.resources : {};
  return {
    requests: isRecord(r.requests) ? r.requests : {},
    limits: isRecord(r.limits) ? r.limits : {},
  };
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * CPU is pinned when the limit is set and the request is absent (the API server copies the
 * limit) or equal to it.
 */
function cpuPinned(c: ContainerRef): boolean {
  const { requests, limits } = resourcesOf(c);
  if (!isSet(limits.cpu)) return false;
  return !isSet(requests.cpu) || compareQuantities(requests.cpu, limits.cpu) === 0;
}

/**
 * A pod is meant to be Guaranteed when its template says so (`berth.dev/qos-class: Guaranteed`)
 * or when every init and app container pins CPU (limit set, request absent or equal).
 */
export function meantGuaranteed(w: Workload, containers: readonly ContainerRef[]): boolean {
  const stated = w.meta.annotations[qosAnnotation];
  if (stated !== undefined) return stated === 'Guaranteed';
  return containers.length > 0 && containers.every(cpuPinned);
}

export const guaranteedMemory: Check = {
  id: 'guaranteed-memory',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'Pods meant to be Guaranteed set memory requests equal to memory limits.',
  remediation:
    'Set resources.requests.memory equal to resources.limits.memory (or drop the request so it defaults to the limit).',
  docs: `A pod is "meant to be Guaranteed" when its pod template carries the annotation
\`${qosAnnotation}: Guaranteed\`, or, without that annotation, when every init and app container pins
CPU (\`limits.cpu\` set, \`requests.cpu\` absent or equal). Such a pod loses the Guaranteed QoS class, and
with it the last place in the node's eviction order, when a container's memory request differs from
its memory limit, or when the annotation is set and a container has no memory limit. Quantities
are compared by value (\`1Gi\` equals \`1024Mi\`). Any other value of the annotation (\`Burstable\`)
turns the check off for that pod. Not fixed automatically: which of the two numbers is right
depends on the application.`,
  run: (context) => {
    const out: RawFinding[] = [];
    for (const w of context.index.workloads) {
      const containers = runningContainers(w);
      if (!meantGuaranteed(w, containers)) continue;
      const stated = w.meta.annotations[qosAnnotation] === 'Guaranteed';
      for (const c of containers) {
        const problem = memoryProblem(c, stated);
        if (!problem) continue;
        out.push({
          target: w.target,
          path: [...c.path, 'resources'],
          message: `${containerLabel(w, c)} ${problem}, so the pod is not Guaranteed`,
          unfixableReason: 'the memory size depends on the application',
        });
      }
    }
    return out;
  },
};

function memoryProblem(c: ContainerRef, stated: boolean): string | undefined {
  const { requests, limits } = resourcesOf(c);
  if (!isSet(limits.memory)) return stated ? 'sets no limits.memory' : undefined;
  if (!isSet(requests.memory)) return undefined;
  const order = compareQuantities(requests.memory, limits.memory);
  if (order === undefined || order === 0) return undefined;
  return `requests ${String(requests.memory)} of memory but limits it to ${String(limits.memory)}`;
}
