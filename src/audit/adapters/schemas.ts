/**
 * Loads the schemas `schema-validation` checks against: the generated Kubernetes schema shipped
 * in the package (src/audit/schema/data/kubernetes.json, never downloaded), plus the
 * CustomResourceDefinitions in the folders given with `--crd`.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../../errors.ts';
import { listFiles } from '../../files/walk.ts';
import { parseYamlStream, positionOf } from '../../yaml/stream.ts';
import { crdSchemas } from '../schema/compact.ts';
import { kindKey, type SchemaSet } from '../schema/types.ts';

export interface SchemaSources {
  cwd: string;
  /** Folders (or files) with CRD manifests. @default none */
  crdPaths?: readonly string[];
}

let shipped: Promise<SchemaSet> | undefined;

/** The schema set shipped with berth (read once per process). */
export function shippedSchemas(): Promise<SchemaSet> {
  shipped ??= import('../schema/data/kubernetes.json', { with: { type: 'json' } }).then(
    (m) => m.default as SchemaSet,
  );
  return shipped;
}

export async function loadSchemas(sources: SchemaSources): Promise<SchemaSet> {
  const base = await shippedSchemas();
  if (!sources.crdPaths?.length) return base;
  const kinds = { ...base.kinds };
  const diagnostics: Diagnostic[] = [];
  for (const given of sources.crdPaths) {
    const absolute = isAbsolute(given) ? given : join(sources.cwd, given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      diagnostics.push({ message: `--crd ${given}: no such file or folder` });
      continue;
    }
    const files = info.isDirectory()
      ? await listFiles(absolute, (name) => /\.ya?ml$/i.test(name))
      : [absolute];
    for (const file of files) {
      const display = relative(sources.cwd, file) || file;
      const stream = parseYamlStream(await readFile(file, 'utf8'), display);
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
  return { source: `${base.source} and --crd`, kinds, defs: base.defs };
}
