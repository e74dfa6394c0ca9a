/**
 * Offline validation of rendered objects against the OpenAPI v3 schema of the pinned Kubernetes
 * release (sandbox/versions.json), read from the Go module k8s.io/kubernetes that
 * scripts/setup.sh downloads. Unknown fields are errors (additionalProperties: false is added to
 * every object schema that lists its properties and does not preserve unknown fields).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { KubeObject } from '../../src/model/object.ts';
import { root } from './examples.ts';

const groupFiles = [
  'api__v1_openapi.json',
  'apis__admissionregistration.k8s.io__v1_openapi.json',
  'apis__apps__v1_openapi.json',
  'apis__autoscaling__v2_openapi.json',
  'apis__coordination.k8s.io__v1_openapi.json',
  'apis__policy__v1_openapi.json',
  'apis__networking.k8s.io__v1_openapi.json',
  'apis__rbac.authorization.k8s.io__v1_openapi.json',
];

export function kubernetesVersion(): string {
  const versions = JSON.parse(readFileSync(join(root, 'sandbox', 'versions.json'), 'utf8')) as {
    kubernetes: string;
  };
  return versions.kubernetes;
}

/**
 * The Go module cache: $GOMODCACHE, else what `go env` says (Go may be installed but not on PATH,
 * as in CI's non-login shells), else Go's default $GOPATH/pkg/mod or ~/go/pkg/mod.
 */
function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  for (const go of ['go', '/usr/local/go/bin/go']) {
    try {
      const dir = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
      if (dir) return dir;
    } catch {
      // not this one: try the next candidate, then Go's default location
    }
  }
  return join(process.env.GOPATH ?? join(homedir(), 'go'), 'pkg', 'mod');
}

export function openApiDir(): string {
  const fromEnv = process.env.BERTH_K8S_OPENAPI_DIR;
  if (fromEnv) return fromEnv;
  const version = kubernetesVersion();
  const modCache = goModCache();
  const dir = join(modCache, `k8s.io/kubernetes@${version}`, 'api', 'openapi-spec', 'v3');
  if (!existsSync(dir))
    throw new Error(
      `the Kubernetes ${version} OpenAPI spec is missing at ${dir}: run bash scripts/setup.sh (go mod download k8s.io/kubernetes@${version})`,
    );
  return dir;
}

type Schema = Record<string, unknown>;

function tighten(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(tighten);
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Schema;
  if (
    s.properties &&
    s['x-kubernetes-preserve-unknown-fields'] !== true &&
    s.additionalProperties === undefined
  )
    s.additionalProperties = false;
  for (const v of Object.values(s)) tighten(v);
}

export interface KubeValidator {
  validate(o: KubeObject): string[];
  kinds: Set<string>;
}

export function loadValidator(): KubeValidator {
  const dir = openApiDir();
  const schemas: Record<string, Schema> = {};
  const byGvk = new Map<string, string>();
  for (const file of groupFiles) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      components: { schemas: Record<string, Schema> };
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      schemas[name] = schema;
      const gvks = schema['x-kubernetes-group-version-kind'] as
        { group: string; version: string; kind: string }[] | undefined;
      for (const g of gvks ?? [])
        byGvk.set(`${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`, name);
    }
  }
  tighten(schemas);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'k8s', components: { schemas } });
  const cache = new Map<string, ValidateFunction>();
  return {
    kinds: new Set([...byGvk.keys()]),
    validate(o) {
      const key = `${o.apiVersion}/${o.kind}`;
      const name = byGvk.get(key);
      if (!name) return [`no OpenAPI schema for ${key}`];
      let fn = cache.get(name);
      if (!fn) {
        fn = ajv.getSchema(`k8s#/components/schemas/${name}`);
        if (!fn) return [`schema ${name} did not compile`];
        cache.set(name, fn);
      }
      if (fn(o)) return [];
      return (fn.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
    },
  };
}
