/**
 * Finding the cluster the way kubectl does: `--kubeconfig`, else the files listed in
 * `KUBECONFIG` (merged, the first current-context wins), else `~/.kube/config`, else the
 * in-cluster service account. `--context` picks another context of the loaded config.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
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

export interface LoadedKubeConfig {
  kc: KubeConfig;
  source: ConfigSource;
  /** The files read (empty in-cluster). */
  files: string[];
  context: string;
  /** The context's namespace, else `default`: where namespaced objects without one go. */
  namespace: string;
  server: string;
}

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

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
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(serviceAccountToken))
    return { source: ConfigSource.inCluster, files: [] };
  return undefined;
}

/** Loads the configuration; throws ClusterUnreachableError when none is configured. */
export function loadKubeConfig(options: KubeConfigOptions): LoadedKubeConfig {
  const found = findClusterConfig(options);
  if (!found) {
    throw new ClusterUnreachableError(
      'no cluster configured: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, ' +
        'or run `berth up` to start the sandbox',
    );
  }
  const kc = new KubeConfig();
  if (found.source === ConfigSource.inCluster) kc.loadFromCluster();
  else loadFiles(kc, found.files);
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(
        `--context ${options.context}: no such context in ${found.files.join(', ') || found.source}` +
          ` (contexts: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  const contextName = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new ClusterUnreachableError(
      `kubeconfig ${found.files.join(', ') || found.source}: context "${contextName}" has no cluster`,
    );
  }
  const namespace = kc.getContextObject(contextName)?.namespace?.trim() || 'default';
  return {
    kc,
    source: found.source,
    files: found.files,
    context: contextName,
    namespace,
    server: cluster.server,
  };
}

function loadFiles(kc: KubeConfig, files: readonly string[]): void {
  files.forEach((file, i) => {
    const target = i === 0 ? kc : new KubeConfig();
    try {
      target.loadFromFile(file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ClusterUnreachableError(`kubeconfig ${file}: ${reason}`, { cause: error });
    }
    if (i > 0) mergeFirstWins(kc, target);
  });
}

/** kubectl's merge: the first file to define a name (or a current-context) wins. */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  if (!into.currentContext && from.currentContext) into.currentContext = from.currentContext;
  for (const c of from.clusters) if (!into.getCluster(c.name)) into.addCluster(c);
  for (const u of from.users) if (!into.getUser(u.name)) into.addUser(u);
  for (const c of from.contexts) if (!into.getContextObject(c.name)) into.addContext(c);
}
