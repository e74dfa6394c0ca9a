/**
 * Finding the cluster the way kubectl does: `--kubeconfig`, else the files listed in
 * `KUBECONFIG` (merged: the first file to define a name or a current-context wins; missing
 * files are skipped), else `~/.kube/config`, else the in-cluster service account. `--context`
 * picks another context. Parsed here (a few milliseconds); @kubernetes/client-node is loaded
 * only for users with an exec plugin or an auth provider (see http.ts and ADR 0033).
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../errors.ts';
import { ClusterUnreachableError } from './errors.ts';

export interface KubeConfigOptions {
  /** `--kubeconfig`: the only file read when given. */
  kubeconfig?: string;
  /** `--context`: a context of the loaded config instead of its current-context. */
  context?: string;
  /** Environment for KUBECONFIG, HOME and the in-cluster variables. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

export const ConfigSource = {
  flag: '--kubeconfig',
  env: 'KUBECONFIG',
  home: '~/.kube/config',
  inCluster: 'in-cluster',
} as const;
export type ConfigSource = (typeof ConfigSource)[keyof typeof ConfigSource];

/** A kubeconfig cluster entry, file paths made absolute. */
export interface ClusterEntry {
  server: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

/** A kubeconfig user entry, file paths made absolute. */
export interface UserEntry {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** Impersonate this user (`Impersonate-User`). */
  as?: string;
  /** Impersonate these groups too (one `Impersonate-Group` header each; needs `as`). */
  'as-groups'?: string[];
  /** Impersonate this UID (`Impersonate-Uid`). */
  'as-uid'?: string;
  /** Extra attributes of the impersonated user (`Impersonate-Extra-<key>`). */
  'as-user-extra'?: Record<string, string[]>;
  exec?: unknown;
  'auth-provider'?: unknown;
}

export interface LoadedKubeConfig {
  source: ConfigSource;
  /** The files read (empty in-cluster). */
  files: string[];
  context: string;
  /** The context's namespace, else `default`: where namespaced objects without one go. */
  namespace: string;
  server: string;
  cluster: ClusterEntry;
  user: UserEntry;
}

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Where a cluster configuration would come from, or undefined when none is configured. */
export function findClusterConfig(
  options: KubeConfigOptions,
): { source: ConfigSource; files: string[] } | undefined {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return { source: ConfigSource.flag, files: [options.kubeconfig] };
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  const existing = listed.filter((f) => existsSync(f));
  if (existing.length) return { source: ConfigSource.env, files: existing };
  const home = env.HOME ?? env.USERPROFILE;
  const homeConfig = home ? join(home, '.kube', 'config') : undefined;
  if (homeConfig && existsSync(homeConfig))
    return { source: ConfigSource.home, files: [homeConfig] };
  if (
    env.KUBERNETES_SERVICE_HOST &&
    env.KUBERNETES_SERVICE_PORT &&
    existsSync(join(serviceAccountDir, 'token'))
  )
    return { source: ConfigSource.inCluster, files: [] };
  return undefined;
}

interface Named<T> {
  name: string;
  value: T;
}

interface Merged {
  currentContext: string;
  clusters: Named<ClusterEntry>[];
  users: Named<UserEntry>[];
  contexts: Named<{ cluster?: string; user?: string; namespace?: string }>[];
}

/** Loads the configuration; throws ClusterUnreachableError when none is configured. */
export function loadKubeConfig(options: KubeConfigOptions): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const found = findClusterConfig(options);
  if (!found) {
    throw new ClusterUnreachableError(
      'no cluster configured: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, ' +
        'or run `berth up` to start the sandbox',
    );
  }
  const merged =
    found.source === ConfigSource.inCluster ? inClusterConfig(env) : mergeFiles(found.files);
  const where = found.files.join(', ') || found.source;
  const contextName = options.context ?? merged.currentContext;
  const context = merged.contexts.find((c) => c.name === contextName);
  if (!context) {
    const known = merged.contexts.map((c) => c.name).join(', ') || 'none';
    if (options.context)
      throw new UsageError(
        `--context ${options.context}: no such context in ${where} (contexts: ${known})`,
      );
    throw new ClusterUnreachableError(
      `kubeconfig ${where}: ${contextName ? `current-context "${contextName}" is not defined` : 'no current-context'} (contexts: ${known}); pass --context`,
    );
  }
  const cluster = merged.clusters.find((c) => c.name === context.value.cluster)?.value;
  if (!cluster?.server)
    throw new ClusterUnreachableError(
      `kubeconfig ${where}: context "${contextName}" names cluster "${context.value.cluster ?? ''}", which is not defined or has no server`,
    );
  const user = merged.users.find((u) => u.name === context.value.user)?.value ?? {};
  return {
    source: found.source,
    files: found.files,
    context: contextName,
    namespace: context.value.namespace?.trim() || 'default',
    server: cluster.server,
    cluster,
    user,
  };
}

function mergeFiles(files: readonly string[]): Merged {
  const merged: Merged = { currentContext: '', clusters: [], users: [], contexts: [] };
  for (const file of files) {
    let doc: Record<string, unknown>;
    try {
      doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ClusterUnreachableError(`kubeconfig ${file}: ${reason}`, { cause: error });
    }
    const base = dirname(file);
    if (!merged.currentContext && typeof doc['current-context'] === 'string')
      merged.currentContext = doc['current-context'];
    addNamed(merged.clusters, doc.clusters, 'cluster', (c: ClusterEntry) =>
      absolutize(c, base, ['certificate-authority']),
    );
    addNamed(merged.users, doc.users, 'user', (u: UserEntry) =>
      absolutize(u, base, ['client-certificate', 'client-key', 'tokenFile']),
    );
    addNamed(merged.contexts, doc.contexts, 'context', (c) => c);
  }
  return merged;
}

function addNamed<T>(into: Named<T>[], list: unknown, field: string, fix: (v: T) => T): void {
  if (!Array.isArray(list)) return;
  for (const entry of list as Record<string, unknown>[]) {
    const name = entry?.name;
    const value = entry?.[field];
    if (typeof name !== 'string' || !value || typeof value !== 'object') continue;
    if (into.some((n) => n.name === name)) continue;
    into.push({ name, value: fix(value as T) });
  }
}

function absolutize<T extends object>(entry: T, base: string, keys: readonly string[]): T {
  const out = { ...entry } as Record<string, unknown>;
  for (const k of keys) {
    const v = out[k];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) out[k] = join(base, v);
  }
  return out as T;
}

function inClusterConfig(env: Readonly<Record<string, string | undefined>>): Merged {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const nsFile = join(serviceAccountDir, 'namespace');
  const namespace = existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() : 'default';
  return {
    currentContext: 'in-cluster',
    clusters: [
      {
        name: 'in-cluster',
        value: {
          server: `https://${hostPart}:${port}`,
          'certificate-authority': join(serviceAccountDir, 'ca.crt'),
        },
      },
    ],
    users: [{ name: 'in-cluster', value: { tokenFile: join(serviceAccountDir, 'token') } }],
    contexts: [
      { name: 'in-cluster', value: { cluster: 'in-cluster', user: 'in-cluster', namespace } },
    ],
  };
}
