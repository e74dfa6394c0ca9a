/**
 * Loads the schemas `schema-validation` checks against: the generated Kubernetes schema shipped
 * in the package for the release `--kube-version` selects (src/audit/schema/data/kubernetes.json
 * for the pinned release, kubernetes-1.31.json and kubernetes-1.24.json for older targets; never
 * downloaded), plus the CustomResourceDefinitions in the folders given with `--crd`.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../../errors.ts';
import { parseYamlStream, positionOf } from '../../yaml/stream.ts';
import { crdSchemas } from '../schema/compact.ts';
import { kindKey, type SchemaSet } from '../schema/types.ts';

export interface SchemaSources {
  cwd: string;
  /** Folders (or files) with CRD manifests. @default none */
  crdPaths?: readonly string[];
  /** The target's minor version (`--kube-version 1.30` → 30). @default the pinned release */
  targetMinor?: number;
}

/** The releases shipped, newest first (the pinned one has no minor bound). */
export const shippedReleases = [
  { minor: undefined, file: 'kubernetes.json' },
  { minor: 31, file: 'kubernetes-1.31.json' },
  { minor: 24, file: 'kubernetes-1.24.json' },
] as const;
export type ShippedSchemaFile = (typeof shippedReleases)[number]['file'];

/**
 * The schema for a target minor: the oldest shipped release at or above it (its field set is
 * the target's plus what the releases in between added), the oldest shipped one below 1.24, and
 * the pinned release for targets newer than 1.31 or none given.
 */
export function schemaFileFor(targetMinor: number | undefined): ShippedSchemaFile {
  if (targetMinor === undefined || targetMinor > 31) return 'kubernetes.json';
  return targetMinor > 24 ? 'kubernetes-1.31.json' : 'kubernetes-1.24.json';
}

const loaders: Record<ShippedSchemaFile, () => Promise<{ default: unknown }>> = {
  'kubernetes.json': () => import('../schema/data/kubernetes.json', { with: { type: 'json' } }),
  'kubernetes-1.31.json': () =>
    import('../schema/data/kubernetes-1.31.json', { with: { type: 'json' } }),
  'kubernetes-1.24.json': () =>
    import('../schema/data/kubernetes-1.24.json', { with: { type: 'json' } }),
};
const shipped = new Map<ShippedSchemaFile, Promise<SchemaSet>>();

/** The schema set shipped with berth for `targetMinor` (each file read once per process). */
export function shippedSchemas(targetMinor?: number): Promise<SchemaSet> {
  const file = schemaFileFor(targetMinor);
  let found = shipped.get(file);
  if (!found) {
    found = loaders[file]().then((m) => m.default as SchemaSet);
    shipped.set(file, found);
  }
  return found;
}

export async function loadSchemas(sources: SchemaSources): Promise<SchemaSet> {
  const base = await shippedSchemas(sources.targetMinor);
  if (!sources.crdPaths?.length) return base;
  const kinds = { ...base.kinds };
  const diagnostics: Diagnostic[] = [];
  for (const given of sources.crdPaths) {
    const absolute = isAbsolute(given) ? given : join(sources.cwd, given);
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) {
      diagnostics.push({ message: `--crd ${given}: no such file or folder` });
      continue;
    }
    const files = info.isDirectory()
      ? await (
          await import('../../files/walk.ts')
        ).listFiles(absolute, (name) => /\.ya?ml$/i.test(name))
      : [absolute];
    for (const file of files) {
      const display = relative(sources.cwd, file) || file;
      const stream = parseYamlStream(readFileSync(file, 'utf8'), display);
      diagnostics.push(...stream.diagnostics);
      for (const doc of stream.documents) {
        const value = doc.value as { kind?: unknown } | null;
        if (value?.kind !== 'CustomResourceDefinition') continue;
        const found = crdSchemas(value);
        if (found.length === 0)
          diagnostics.push({
            position: positionOf(doc, []),
            message: 'a CustomResourceDefinition without a served version with an openAPIV3Schema',
          });
        for (const crd of found) kinds[kindKey(crd.apiVersion, crd.kind)] = crd.schema;
      }
    }
  }
  if (diagnostics.length > 0) throw new InvalidInputError(diagnostics);
  return { ...base, source: `${base.source} and --crd`, kinds };
}
