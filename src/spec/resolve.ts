/**
 * Effective values of a component once platform defaults are applied. Shared by validation (which
 * checks the effective values) and rendering (which emits them), so the two cannot disagree.
 */
import { engines } from './engines.ts';
import type { Port, Resources } from './schema/common.ts';
import type { Component, PlatformSpec } from './workspace.ts';

export interface EffectiveResources {
  requests: { cpu: string; memory: string; ephemeralStorage: string };
  limits: { cpu: string; memory: string; ephemeralStorage: string };
}

export function effectiveResources(
  platform: PlatformSpec,
  resources: Resources,
): EffectiveResources {
  const d = platform.defaults.resources;
  return {
    requests: {
      cpu: resources.requests.cpu ?? d.requests.cpu,
      memory: resources.requests.memory ?? d.requests.memory,
      ephemeralStorage: resources.requests.ephemeralStorage ?? d.requests.ephemeralStorage,
    },
    limits: {
      cpu: resources.limits.cpu ?? d.limits.cpu,
      memory: resources.limits.memory ?? d.limits.memory,
      ephemeralStorage: resources.limits.ephemeralStorage ?? d.limits.ephemeralStorage,
    },
  };
}

/** Declared ports, or the engine's defaults for a Store that declares none. */
export function effectivePorts(c: Component): Port[] {
  if (c.kind === 'Store' && c.spec.ports.length === 0) return [...engines[c.spec.engine].ports];
  return c.spec.ports;
}

/** Ports a Service publishes (and connections may target). */
export function exposedPorts(c: Component): Port[] {
  return effectivePorts(c).filter((p) => p.expose);
}

/** Finds a port by name or number. */
export function findPort(ports: readonly Port[], ref: number | string): Port | undefined {
  return ports.find((p) => (typeof ref === 'number' ? p.port === ref : p.name === ref));
}

/** The image a component runs, with the platform registry prefix when it has none. */
export function effectiveImage(platform: PlatformSpec, c: Component): string | undefined {
  const image = c.kind === 'Agent' ? (c.spec.image ?? platform.agents.image) : c.spec.image;
  if (image === undefined) return undefined;
  return withRegistry(platform.registry, image);
}

/** The image with the platform registry prefixed when it names no registry host. */
export function withRegistry(registry: string | undefined, image: string): string {
  if (registry === undefined) return image;
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? image : `${registry.replace(/\/$/, '')}/${image}`;
}

/** ConfigMap key of a mounted file: its path without the leading "/", slashes as "_". */
export function fileKey(path: string): string {
  return path.slice(1).replace(/\//g, '_');
}
