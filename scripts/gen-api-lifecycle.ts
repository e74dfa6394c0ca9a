// Generates src/audit/schema/data/api-lifecycle.json: for every API type of the pinned
// Kubernetes release's modules (k8s.io/api, apiextensions-apiserver, kube-aggregator) that is
// deprecated or removed, the release that deprecated it, the release that stopped serving it and
// its replacement — read from the zz_generated.prerelease-lifecycle.go files, which
// prerelease-lifecycle-gen writes from the `+k8s:prerelease-lifecycle-gen` tags of the types.
//
//   node --import tsx scripts/gen-api-lifecycle.ts      (then commit the JSON)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApiLifecycle } from '../src/audit/schema/api-lifecycle.ts';
import { goModCache, pinnedKubernetes } from './gen-kube-schemas.ts';

const root = join(import.meta.dirname, '..');
/** Older k8s.io/api releases that still carry types deleted since (also downloaded by setup.sh). */
export const olderApiReleases = ['v0.24.17', 'v0.31.14'];
const out = join(root, 'src', 'audit', 'schema', 'data', 'api-lifecycle.json');

function lifecycleFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...lifecycleFiles(path));
    else if (entry.name === 'zz_generated.prerelease-lifecycle.go') found.push(path);
  }
  return found;
}

function groupOf(packageDir: string): string {
  const register = join(packageDir, 'register.go');
  const text = existsSync(register) ? readFileSync(register, 'utf8') : '';
  const m = /const GroupName = "([^"]*)"/.exec(text);
  if (!m) throw new Error(`no GroupName in ${register}`);
  return m[1] ?? '';
}

const version = (major = '', minor = ''): string => `${major}.${minor}`;

function parse(file: string): ApiLifecycle[] {
  const dir = join(file, '..');
  const group = groupOf(dir);
  const apiVersion = (g: string, v: string): string => (g ? `${g}/${v}` : v);
  const pkgVersion = dir.split('/').pop() ?? '';
  const text = readFileSync(file, 'utf8');
  const byKind = new Map<string, ApiLifecycle>();
  const entry = (kind: string): ApiLifecycle => {
    let e = byKind.get(kind);
    if (!e) {
      e = { apiVersion: apiVersion(group, pkgVersion), kind };
      byKind.set(kind, e);
    }
    return e;
  };
  const fn = /func \(in \*(\w+)\) APILifecycle(\w+)\(\)[^{]*\{\s*return ([^\n]*)/g;
  for (const m of text.matchAll(fn)) {
    const [, kind = '', what, body = ''] = m;
    if (kind.endsWith('List')) continue;
    const numbers = /^(\d+), (\d+)$/.exec(body.trim());
    if (what === 'Introduced' && numbers) entry(kind).introduced = version(numbers[1], numbers[2]);
    if (what === 'Deprecated' && numbers) entry(kind).deprecated = version(numbers[1], numbers[2]);
    if (what === 'Removed' && numbers) entry(kind).removed = version(numbers[1], numbers[2]);
    const gvk = /Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"/.exec(body);
    if (what === 'Replacement' && gvk)
      entry(kind).replacement = {
        apiVersion: apiVersion(gvk[1] ?? '', gvk[2] ?? ''),
        kind: gvk[3] ?? '',
      };
  }
  return [...byKind.values()].filter((e) => e.deprecated !== undefined || e.removed !== undefined);
}

export function buildLifecycle(): { source: string; apis: ApiLifecycle[] } {
  const k8s = pinnedKubernetes();
  const staging = k8s.replace(/^v1\./, 'v0.');
  const mod = goModCache();
  // Oldest first: a newer release's tags win for a type present in several.
  const modules = [
    ...olderApiReleases.map((v) => `k8s.io/api@${v}`),
    `k8s.io/api@${staging}`,
    `k8s.io/apiextensions-apiserver@${staging}/pkg/apis`,
    `k8s.io/kube-aggregator@${staging}/pkg/apis`,
  ].map((m) => join(mod, m));
  for (const m of modules)
    if (!existsSync(m)) throw new Error(`${m} is missing: run bash scripts/setup.sh`);
  const byType = new Map<string, ApiLifecycle>();
  for (const e of modules.flatMap(lifecycleFiles).flatMap(parse))
    byType.set(`${e.apiVersion} ${e.kind}`, e);
  const apis = [...byType.values()].sort(
    (a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind),
  );
  return {
    source: `k8s.io/api ${[...olderApiReleases, staging].join(', ')}`,
    apis,
  };
}

function main(): void {
  const table = buildLifecycle();
  writeFileSync(out, `${JSON.stringify(table, null, 1)}\n`);
  process.stdout.write(`${out}: ${table.apis.length} deprecated or removed API types\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
