/**
 * Mapping built kustomize objects back to the files that produced them. berth builds a folder
 * through a one-line wrapper kustomization with `buildMetadata: [originAnnotations]`, so kustomize
 * itself writes `config.kubernetes.io/origin` on every object (`path:` of the base or overlay file,
 * `configuredIn:` for generated objects). The annotation is then removed, unless the user's own
 * kustomization asked for it. Pure.
 */
import type { KubeObject } from '../model/object.ts';

export const originAnnotation = 'config.kubernetes.io/origin';

export interface Origin {
  /** The file, relative to the folder kustomize was run in. */
  file: string;
  /** A generator's kustomization.yaml (`configuredIn`) rather than a resource file. */
  generated: boolean;
}

/** Reads the origin annotation of a built object. */
export function originOf(object: KubeObject): Origin | undefined {
  const text = object.metadata.annotations?.[originAnnotation];
  if (typeof text !== 'string') return undefined;
  if (/^repo:/m.test(text)) return undefined; // a remote base: no local file
  const path = /^path:\s*(.+)$/m.exec(text)?.[1]?.trim();
  if (path !== undefined) return { file: path, generated: false };
  const configuredIn = /^configuredIn:\s*(.+)$/m.exec(text)?.[1]?.trim();
  if (configuredIn !== undefined) return { file: configuredIn, generated: true };
  return undefined;
}

/** Removes the origin annotation (and an `annotations` map it leaves empty). */
export function stripOrigin(object: KubeObject): void {
  const annotations = object.metadata.annotations;
  if (!annotations || !(originAnnotation in annotations)) return;
  delete annotations[originAnnotation];
  if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
}

/** The user's kustomization already asks for origin annotations: keep them in the output. */
export const wantsOrigins = (kustomization: string): boolean =>
  /originAnnotations/.test(kustomization);

/**
 * Which document of a source file an object came from: the same kind, and the longest source
 * name that the built name contains (namePrefix/nameSuffix change names, never drop them).
 */
export function matchSource<T extends { kind: string; name: string }>(
  candidates: readonly T[],
  kind: string,
  builtName: string,
): T | undefined {
  const sameKind = candidates.filter((c) => c.kind === kind);
  const named = sameKind
    .filter((c) => c.name !== '' && builtName.includes(c.name))
    .sort((a, b) => b.name.length - a.name.length);
  return named[0] ?? (sameKind.length === 1 ? sameKind[0] : undefined);
}

/** The local folders a kustomization builds on (`resources`, `bases`, `components` entries). */
export function localReferences(kustomization: unknown): string[] {
  if (typeof kustomization !== 'object' || kustomization === null) return [];
  const k = kustomization as Record<string, unknown>;
  const entries = [k.resources, k.bases, k.components].flatMap((v) =>
    Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : [],
  );
  return entries.filter((e) => !/^[a-z]+:\/\/|^git@|^github\.com\//.test(e));
}
