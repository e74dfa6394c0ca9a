/**
 * The folder layout of `berth render -o DIR` (seed 000's): `<component>/k8s/<kind>-<name>.yaml`
 * for every object a component owns, platform-wide objects under `<platform>/k8s/`, Argo CD
 * Applications under `argocd/`, and a `kustomization.yaml` in every folder.
 */
import type { KubeObject } from '../model/object.ts';
import type { RenderedObject } from './index.ts';
import { toYamlDocument } from './yaml.ts';

function fileName(o: KubeObject): string {
  const ns = o.metadata.namespace;
  const base = `${o.kind.toLowerCase()}-${o.metadata.name}`;
  return `${ns !== undefined && o.kind === 'ExternalSecret' ? `${base}-${ns}` : base}.yaml`;
}

export function renderToFolder(rendered: readonly RenderedObject[]): Map<string, string> {
  const folders = new Map<string, string[]>();
  const files = new Map<string, string>();
  for (const { object: o, component } of rendered) {
    const dir = o.kind === 'Application' ? 'argocd' : `${component}/k8s`;
    let name = fileName(o);
    if (files.has(`${dir}/${name}`))
      name = `${name.slice(0, -5)}-${o.metadata.namespace ?? 'cluster'}.yaml`;
    files.set(
      `${dir}/${name}`,
      `# Rendered by berth. Do not edit: change the spec and render again.\n${toYamlDocument(o)}`,
    );
    const list = folders.get(dir) ?? [];
    list.push(name);
    folders.set(dir, list);
  }
  for (const [dir, names] of folders) {
    const body = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      ...names.map((n) => `  - ${n}`),
    ];
    files.set(`${dir}/kustomization.yaml`, `${body.join('\n')}\n`);
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
