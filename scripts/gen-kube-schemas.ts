// Generates src/audit/schema/data/kubernetes.json: the compact structural schema of every
// built-in kind of the pinned Kubernetes release (sandbox/versions.json), and
// kubernetes-<minor>.json for the older releases in `olderReleases` (what `--kube-version`
// selects, src/audit/adapters/schemas.ts), from the OpenAPI v3 spec
// in the Go module k8s.io/kubernetes that scripts/setup.sh downloads, with the enums of the Go
// types (`// +enum` in k8s.io/api, which the published spec leaves out), plus the CRDs berth's
// sandbox installs (sandbox/manifests/crds: ESO, KEDA, Argo CD, cert-manager).
//
//   node --import tsx scripts/gen-kube-schemas.ts      (then commit the JSON)
//
// Run at development time only: the audit reads the generated file and never downloads anything.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { compactSchema, crdSchemas } from '../src/audit/schema/compact.ts';
import type { CompactSchema, SchemaSet } from '../src/audit/schema/types.ts';

const root = join(import.meta.dirname, '..');
const data = join(root, 'src', 'audit', 'schema', 'data');

/**
 * Older releases shipped besides the pinned one: the k8s.io/api releases the API lifecycle table
 * is read from (scripts/setup.sh downloads their k8s.io/kubernetes and k8s.io/api modules).
 * Keep in step with `shippedReleases` in src/audit/adapters/schemas.ts.
 */
export const olderReleases = ['v1.31.14', 'v1.24.17'] as const;

/** The committed file of a release: kubernetes.json for the pinned one. */
export function schemaFileOf(version: string): string {
  if (version === pinnedKubernetes()) return join(data, 'kubernetes.json');
  const minor = /^v1\.(\d+)\./.exec(version)?.[1];
  return join(data, `kubernetes-1.${minor}.json`);
}

export function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  for (const go of ['go', '/usr/local/go/bin/go']) {
    try {
      const dir = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
      if (dir) return dir;
    } catch (error) {
      void error; // not this one: try the next, then Go's default location
    }
  }
  return join(process.env.GOPATH ?? join(homedir(), 'go'), 'pkg', 'mod');
}

export function pinnedKubernetes(): string {
  const versions = JSON.parse(readFileSync(join(root, 'sandbox', 'versions.json'), 'utf8')) as {
    kubernetes: string;
  };
  return versions.kubernetes;
}

type Node = Record<string, unknown>;
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function loadOpenApi(dir: string): { defs: Record<string, Node>; kinds: Map<string, string> } {
  const defs: Record<string, Node> = {};
  const kinds = new Map<string, string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      components?: { schemas?: Record<string, Node> };
    };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      defs[name] = schema;
      if (name.startsWith('io.k8s.apimachinery.')) continue; // meta kinds (Status, WatchEvent…)
      for (const g of (schema['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? []) {
        if (g.kind.endsWith('List')) continue;
        kinds.set(`${g.group ? `${g.group}/` : ''}${g.version} ${g.kind}`, name);
      }
    }
  }
  return { defs, kinds };
}

/** `io.k8s.api.core.v1.Container` → { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'] }. */
function goEnums(apiModule: string): Map<string, Map<string, string[]>> {
  const byDef = new Map<string, Map<string, string[]>>();
  const packages: string[] = [];
  for (const group of readdirSync(apiModule, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const version of readdirSync(join(apiModule, group.name), { withFileTypes: true }))
      if (
        version.isDirectory() &&
        existsSync(join(apiModule, group.name, version.name, 'types.go'))
      )
        packages.push(`${group.name}/${version.name}`);
  }
  const sources = readPackages(apiModule, packages);
  const enums = enumTypes(sources);
  for (const [pkg, text] of sources) {
    for (const [def, fields] of enumFieldsOf(pkg, text, enums)) byDef.set(def, fields);
  }
  return byDef;
}

function readPackages(apiModule: string, packages: string[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const pkg of packages) {
    const dir = join(apiModule, pkg);
    const files = readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
    sources.set(pkg, files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'));
  }
  return sources;
}

/** Per package: enum type name → its values. */
function enumTypes(sources: Map<string, string>): Map<string, Map<string, string[]>> {
  const enums = new Map<string, Map<string, string[]>>();
  for (const [pkg, text] of sources) {
    const types = new Map<string, string[]>();
    for (const m of text.matchAll(/\/\/ \+enum\n(?:\/\/[^\n]*\n)*type (\w+) string/g)) {
      const name = m[1] ?? '';
      const values = [...text.matchAll(new RegExp(`\\b\\w+\\s+${name}\\s*=\\s*"([^"]*)"`, 'g'))]
        .map((v) => v[1] ?? '')
        .filter((v, i, all) => all.indexOf(v) === i);
      if (values.length > 0) types.set(name, values);
    }
    enums.set(pkg, types);
  }
  return enums;
}

/** Definition name → (json field → enum values) for the structs of one package. */
function enumFieldsOf(
  pkg: string,
  text: string,
  enums: Map<string, Map<string, string[]>>,
): Map<string, Map<string, string[]>> {
  const byDef = new Map<string, Map<string, string[]>>();
  const aliases = new Map<string, string>();
  for (const m of text.matchAll(/^\s*(\w+)\s+"k8s\.io\/api\/([\w]+\/[\w]+)"/gm))
    aliases.set(m[1] ?? '', m[2] ?? '');
  const defPrefix = `io.k8s.api.${pkg.replace('/', '.')}.`;
  for (const s of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, string[]>();
    for (const f of (s[2] ?? '').matchAll(/^\s+\w+\s+\*?(?:(\w+)\.)?(\w+)\s+`json:"(\w+)/gm)) {
      const [, alias, type = '', json = ''] = f;
      const source = alias ? aliases.get(alias) : pkg;
      const values = source ? enums.get(source)?.get(type) : undefined;
      if (values) fields.set(json, values);
    }
    if (fields.size > 0) byDef.set(defPrefix + (s[1] ?? ''), fields);
  }
  return byDef;
}

function reachable(kinds: Iterable<string>, defs: Record<string, CompactSchema>): Set<string> {
  const seen = new Set<string>();
  const visit = (s: CompactSchema | undefined): void => {
    if (!s) return;
    if (s.ref && !seen.has(s.ref)) {
      seen.add(s.ref);
      visit(defs[s.ref]);
    }
    for (const p of Object.values(s.props ?? {})) visit(p);
    visit(s.items);
    visit(s.addl);
    for (const a of [...(s.anyOf ?? []), ...(s.allOf ?? [])]) visit(a);
  };
  for (const k of kinds) visit({ ref: k });
  return seen;
}

/** The schema set from the module cache (what the committed file must equal). */
export function buildSchemaSet(version: string = pinnedKubernetes()): {
  set: SchemaSet;
  enumFields: number;
} {
  const mod = goModCache();
  const openapi = join(mod, `k8s.io/kubernetes@${version}`, 'api', 'openapi-spec', 'v3');
  const apiModule = join(mod, `k8s.io/api@${version.replace(/^v1\./, 'v0.')}`);
  for (const dir of [openapi, apiModule])
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run bash scripts/setup.sh`);
  const { defs: raw, kinds } = loadOpenApi(openapi);
  const defs: Record<string, CompactSchema> = {};
  for (const [name, schema] of Object.entries(raw)) defs[name] = compactSchema(schema);
  let enumFields = 0;
  for (const [def, fields] of goEnums(apiModule)) {
    const schema = defs[def];
    for (const [field, values] of fields) {
      const prop = schema?.props?.[field];
      if (!prop) continue;
      const target = prop.type === 'array' && prop.items ? prop.items : prop;
      if (target.type !== 'string' || target.ref) continue;
      target.enum = values;
      enumFields++;
    }
  }
  const set: SchemaSet = { source: `Kubernetes ${version}`, kinds: {}, defs: {} };
  for (const [key, name] of [...kinds].sort()) set.kinds[key] = { ref: name };
  for (const file of readdirSync(join(root, 'sandbox', 'manifests', 'crds')).sort()) {
    const text = readFileSync(join(root, 'sandbox', 'manifests', 'crds', file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      for (const crd of crdSchemas(doc.toJS()))
        set.kinds[`${crd.apiVersion} ${crd.kind}`] = crd.schema;
    }
  }
  const used = reachable(
    Object.values(set.kinds).flatMap((k) => (k.ref ? [k.ref] : [])),
    defs,
  );
  // CRD schemas refer to ObjectMeta too.
  for (const name of reachable(['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], defs))
    used.add(name);
  used.add('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  for (const name of [...used].sort()) {
    const def = defs[name];
    if (def) set.defs[name] = def;
  }
  return { set, enumFields };
}

function main(): void {
  for (const version of [pinnedKubernetes(), ...olderReleases]) {
    const { set, enumFields } = buildSchemaSet(version);
    const out = schemaFileOf(version);
    writeFileSync(out, `${JSON.stringify(set)}\n`);
    const size = (JSON.stringify(set).length / 1024).toFixed(0);
    process.stdout.write(
      `${out}: ${Object.keys(set.kinds).length} kinds, ${Object.keys(set.defs).length} definitions, ${enumFields} enum fields, ${size} KiB\n`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
