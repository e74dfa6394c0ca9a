/**
 * From parsed YAML streams to a validated `Workspace`: structural validation of each document
 * against its kind's schema, then the checks across documents (references, duplicates, images,
 * sizes). Pure; never throws; returns every diagnostic at once.
 */
import type { Diagnostic } from '../errors.ts';
import type { YamlDocument, YamlStream } from '../yaml/stream.ts';
import { SPEC_API_VERSION } from './api-version.ts';
import {
  kinds,
  type AgentDoc,
  type AgentPoolDoc,
  type KindName,
  type PlatformDoc,
  type SecretDoc,
  type ServiceDoc,
  type StoreDoc,
  type WatchdogDoc,
} from './schema/kinds.ts';
import { checkReferences } from './validate/references.ts';
import { checkService } from './validate/service.ts';
import { Reporter, validateField } from './validate/structural.ts';

export type PlatformSpec = PlatformDoc['spec'];
export type AgentSpec = AgentDoc['spec'];
export type AgentPoolSpec = AgentPoolDoc['spec'];
export type ServiceSpec = ServiceDoc['spec'];
export type StoreSpec = StoreDoc['spec'];
export type SecretSpec = SecretDoc['spec'];
export type WatchdogDocSpec = WatchdogDoc['spec'];

interface Named {
  name: string;
  /** Effective namespace (metadata.namespace or the platform namespace). */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Component =
  | (Named & { kind: 'Agent'; spec: AgentSpec })
  | (Named & { kind: 'AgentPool'; spec: AgentPoolSpec })
  | (Named & { kind: 'Service'; spec: ServiceSpec })
  | (Named & { kind: 'Store'; spec: StoreSpec });
export type ComponentKind = Component['kind'];

export interface SecretEntry extends Named {
  spec: SecretSpec;
}

/** The Watchdog document (src/watchdog reads it; the renderer renders its `service`). */
export interface WatchdogEntry extends Named {
  spec: WatchdogDocSpec;
}

/** A validated workspace: every default applied, components sorted by name. */
export interface Workspace {
  platform: { name: string; labels: Record<string, string>; spec: PlatformSpec };
  /** Agents, agent pools, services and stores, sorted by name (names are unique across kinds). */
  components: Component[];
  secrets: SecretEntry[];
  /** The first Watchdog document, if any (src/spec/validate/service.ts refuses a second). */
  watchdog?: WatchdogEntry;
}

/** A validated document and where it came from (for diagnostics across documents). */
export interface Entry {
  kind: KindName;
  doc: YamlDocument;
  value: {
    metadata: {
      name: string;
      namespace?: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    spec: unknown;
  };
}

const kindNames = Object.keys(kinds) as KindName[];

/** Validates parsed YAML streams into a workspace. */
export function validateWorkspace(streams: YamlStream[]): {
  workspace?: Workspace;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = streams.flatMap((s) => s.diagnostics);
  const entries: Entry[] = [];
  for (const stream of streams) {
    for (const doc of stream.documents) {
      const entry = validateDocument(doc, diagnostics);
      if (entry) entries.push(entry);
    }
  }
  const platforms = entries.filter((e) => e.kind === 'Platform');
  if (platforms.length === 0 && diagnostics.length === 0) {
    diagnostics.push({
      message: 'no Platform document found',
      hint: 'add a document with apiVersion: berth.dev/v1alpha1, kind: Platform (its name is the platform name)',
    });
  }
  for (const extra of platforms.slice(1)) {
    const r = new Reporter(extra.doc);
    r.report(
      ['metadata', 'name'],
      'a workspace has exactly one Platform document',
      `the first one is in ${platforms[0]?.doc.file}`,
    );
    diagnostics.push(...r.diagnostics);
  }
  const platformEntry = platforms[0];
  if (!platformEntry) return { diagnostics: diagnostics.sort(byPosition) };
  const workspace = assemble(platformEntry, entries);
  diagnostics.push(...checkReferences(workspace, entries));
  diagnostics.push(...checkService(workspace, entries));
  diagnostics.sort(byPosition);
  return diagnostics.length > 0 ? { diagnostics } : { workspace, diagnostics };
}

function validateDocument(doc: YamlDocument, diagnostics: Diagnostic[]): Entry | undefined {
  const r = new Reporter(doc);
  const value = doc.value as Record<string, unknown> | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (value !== null) r.report([], 'expected a map (a berth spec document)');
    diagnostics.push(...r.diagnostics);
    return undefined;
  }
  if (value.apiVersion !== SPEC_API_VERSION) {
    r.report(
      ['apiVersion'],
      `apiVersion must be ${SPEC_API_VERSION} (got ${JSON.stringify(value.apiVersion ?? null)})`,
      'every document of a berth workspace is a berth.dev/v1alpha1 document',
    );
    diagnostics.push(...r.diagnostics);
    return undefined;
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || !kindNames.includes(kind as KindName)) {
    r.report(
      ['kind'],
      `unknown kind ${JSON.stringify(kind ?? null)}`,
      `use one of ${kindNames.join(', ')}`,
    );
    diagnostics.push(...r.diagnostics);
    return undefined;
  }
  const out = validateField(kinds[kind as KindName], value, [], r);
  diagnostics.push(...r.diagnostics);
  if (r.diagnostics.length > 0 || out === undefined) return undefined;
  return { kind: kind as KindName, doc, value: out as Entry['value'] };
}

function assemble(platformEntry: Entry, entries: Entry[]): Workspace {
  const platformValue = platformEntry.value as unknown as PlatformDoc;
  const platformName = platformValue.metadata.name;
  const spec = platformValue.spec;
  const named = (e: Entry): Named => ({
    name: e.value.metadata.name,
    namespace: e.value.metadata.namespace ?? spec.namespace ?? platformName,
    labels: e.value.metadata.labels,
    annotations: e.value.metadata.annotations,
  });
  const components: Component[] = [];
  const secrets: SecretEntry[] = [];
  let watchdog: WatchdogEntry | undefined;
  for (const e of entries) {
    // Workflows are checked and run by src/workflow (they name tasks, not components); the
    // Watchdog document is read by src/watchdog, and kept aside for the service's renderer.
    if (e.kind === 'Watchdog') watchdog ??= { ...named(e), spec: e.value.spec as WatchdogDocSpec };
    if (e.kind === 'Platform' || e.kind === 'Workflow' || e.kind === 'Watchdog') continue;
    if (e.kind === 'Secret') secrets.push({ ...named(e), spec: e.value.spec as SecretSpec });
    else components.push({ ...named(e), kind: e.kind, spec: e.value.spec } as Component);
  }
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return {
    platform: { name: platformName, labels: platformValue.metadata.labels, spec },
    components: components.sort(byName),
    secrets: secrets.sort(byName),
    ...(watchdog ? { watchdog } : {}),
  };
}

/** Diagnostics in reading order: by file, line, column (unpositioned first). */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  const pa = a.position;
  const pb = b.position;
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  if (pa.file !== pb.file) return pa.file < pb.file ? -1 : 1;
  return pa.line - pb.line || pa.column - pb.column;
}
