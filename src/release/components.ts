/**
 * Day-2 verbs address components as `<release>/<component>` or `<component>` (pure): parsing an
 * address, the workloads of a component, an image change, the scale guard and the restart patch.
 */
import { ENGINE_ANNOTATION } from '../autoscale/names.ts';
import { UsageError } from '../errors.ts';
import { podSpecOf } from '../model/pod-template.ts';
import type { KubeObject } from '../model/object.ts';
import { describeRef } from '../model/object.ts';

export const componentLabel = 'berth.dev/component';
export const singletonAnnotation = 'berth.dev/singleton';
const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export interface ComponentAddress {
  release?: string;
  component: string;
}

export function parseAddress(text: string): ComponentAddress {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p === ''))
    throw new UsageError(`${text}: address a component as <release>/<component> or <component>`);
  return parts.length === 2
    ? { release: parts[0], component: parts[1] as string }
    : { component: parts[0] as string };
}

/** The Deployments, StatefulSets and DaemonSets of `component` in a release's objects. */
export function workloadsOf(objects: readonly KubeObject[], component: string): KubeObject[] {
  return objects.filter(
    (o) => workloadKinds.has(o.kind) && o.metadata.labels?.[componentLabel] === component,
  );
}

/** The components of a release that run workloads, sorted. */
export function componentsOf(objects: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    const c = o.metadata.labels?.[componentLabel];
    if (c && workloadKinds.has(o.kind)) out.add(c);
  }
  return [...out].sort();
}

/**
 * The one release holding `address.component` among `releases` (name → its components), or a
 * usage error naming the candidates.
 */
export function pickRelease(
  address: ComponentAddress,
  releases: ReadonlyMap<string, readonly string[]>,
): string {
  const holders = [...releases]
    .filter(
      ([name, comps]) =>
        comps.includes(address.component) && (!address.release || name === address.release),
    )
    .map(([name]) => name)
    .sort();
  if (holders.length === 1) return holders[0] as string;
  if (holders.length === 0) {
    const where = address.release ? `release ${address.release}` : 'any release on this cluster';
    const known = address.release ? (releases.get(address.release) ?? []) : [];
    throw new UsageError(
      `no component ${address.component} in ${where}${known.length ? ` (components: ${known.join(', ')})` : ''}`,
    );
  }
  throw new UsageError(
    `component ${address.component} is in several releases (${holders.join(', ')}): write <release>/${address.component}`,
  );
}

/**
 * The objects with `image` set on the component's workloads: the container named `container`,
 * else the one named after the component, else the first. Returns the changes made.
 */
export function withImage(
  objects: readonly KubeObject[],
  component: string,
  image: string,
  container?: string,
): { objects: KubeObject[]; changes: { workload: string; container: string; from: string }[] } {
  const changes: { workload: string; container: string; from: string }[] = [];
  const out = objects.map((o) => {
    if (!workloadKinds.has(o.kind) || o.metadata.labels?.[componentLabel] !== component) return o;
    const copy = structuredClone(o);
    const containers = (podSpecOf(copy)?.containers ?? []) as { name?: string; image?: string }[];
    const target =
      (container ? containers.find((c) => c.name === container) : undefined) ??
      (container ? undefined : (containers.find((c) => c.name === component) ?? containers[0]));
    if (!target)
      throw new UsageError(
        `${describeRef(o as never)}: no container ${container ?? ''} (containers: ${containers.map((c) => c.name).join(', ')})`,
      );
    changes.push({
      workload: o.metadata.name,
      container: target.name ?? '',
      from: target.image ?? '',
    });
    target.image = image;
    return copy;
  });
  if (changes.length === 0)
    throw new UsageError(`component ${component} runs no workload to upgrade`);
  return { objects: out, changes };
}

export interface ScaleCheck {
  /** Set when berth refuses: the reason. */
  refuse?: string;
  /** Things to tell the user before scaling. */
  warnings: string[];
}

/**
 * Whether scaling `workload` to `replicas` is allowed: never a single-writer agent above 1
 * (ADR 0012); a warning when an HPA, a ScaledObject or berth's autoscaler owns the replicas (it
 * will undo the change).
 */
export function checkScale(
  workload: KubeObject,
  replicas: number,
  autoscalers: readonly KubeObject[],
): ScaleCheck {
  const out: ScaleCheck = { warnings: [] };
  if (replicas > 1 && workload.metadata.annotations?.[singletonAnnotation] === 'true')
    out.refuse = `${describeRef(workload as never)} is a single-writer agent (${singletonAnnotation}: "true"): it must never run more than 1 replica`;
  if (workload.metadata.annotations?.[ENGINE_ANNOTATION] === 'berth')
    out.warnings.push(
      `berth's autoscaler owns the replicas of ${workload.kind} ${workload.metadata.name} (${ENGINE_ANNOTATION}: berth): it will change them back as it sees fit`,
    );
  for (const a of autoscalers) {
    const target = (a.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)
      ?.scaleTargetRef;
    if (target?.name === workload.metadata.name && (target.kind ?? 'Deployment') === workload.kind)
      out.warnings.push(
        `${a.kind} ${a.metadata.name} owns the replicas of ${workload.kind} ${workload.metadata.name}: it will change them back as it sees fit`,
      );
  }
  return out;
}

/** The patch `kubectl rollout restart` sends: a restartedAt annotation on the pod template. */
export function restartPatch(now: number): Record<string, unknown> {
  return {
    spec: {
      template: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/restartedAt': new Date(now).toISOString() },
        },
      },
    },
  };
}
