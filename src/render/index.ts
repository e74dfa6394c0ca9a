/**
 * Rendering: a pure, deterministic function from a validated workspace to hardened Kubernetes
 * objects, plus the two output forms (a YAML stream, a folder per component).
 */
import type { KubeObject } from '../kube/object.ts';
import type { Workspace } from '../spec/index.ts';

/** Renders every object of the workspace, in a stable order with stable names. */
export function renderWorkspace(ws: Workspace): KubeObject[] {
  void ws;
  return [];
}

/** A multi-document YAML stream, byte-identical for identical input. */
export function toYamlStream(objects: KubeObject[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n---\n');
}

/** `<component>/k8s/<kind>-<name>.yaml` files plus a `kustomization.yaml`, keyed by relative path. */
export function renderToFolder(objects: KubeObject[]): Map<string, string> {
  void objects;
  return new Map();
}
