/**
 * Credentials and TLS material from a kubeconfig user and cluster: client certificates, tokens,
 * token files, basic auth, impersonation (`as`, `as-groups`, `as-uid`, `as-user-extra`); users
 * with an exec plugin or an auth provider get theirs from @kubernetes/client-node, loaded only
 * then (ADR 0033).
 */
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { stringify } from 'yaml';
import { ClusterUnreachableError } from '../errors.ts';
import type { LoadedKubeConfig, UserEntry } from '../kubeconfig.ts';

/** Header values; a list is sent as repeated headers (`Impersonate-Group`). */
export type Headers = Record<string, string | string[]>;

export interface Credentials {
  headers: Headers;
  tls: https.AgentOptions;
}

export type CredentialSource = () => Promise<Credentials>;

/** Where credentials come from: static (files re-read on refresh) or a plugin. */
export function credentialSource(config: LoadedKubeConfig): CredentialSource {
  const base: CredentialSource =
    config.user.exec || config.user['auth-provider']
      ? pluginCredentials(config)
      : () => Promise.resolve(staticCredentials(config));
  return async () => {
    const c = await base();
    return { tls: c.tls, headers: { ...c.headers, ...impersonation(config.user) } };
  };
}

/** Whether credentials rotate (token files, plugins) and must be re-read now and then. */
export function isRotating(config: LoadedKubeConfig): boolean {
  const u = config.user;
  return Boolean(u.tokenFile ?? u.exec ?? u['auth-provider']);
}

/**
 * Impersonation headers, as kubectl sends them: `Impersonate-User`, one `Impersonate-Group` per
 * group, `Impersonate-Uid`, and `Impersonate-Extra-<key>` per extra value.
 */
export function impersonation(user: UserEntry): Headers {
  const headers: Headers = {};
  if (user.as) headers['Impersonate-User'] = user.as;
  const groups = user['as-groups'];
  if (groups?.length) {
    if (!user.as)
      throw new ClusterUnreachableError(
        'kubeconfig user sets as-groups without as: the API server only impersonates groups together with a user (set `as` too, as kubectl requires)',
      );
    headers['Impersonate-Group'] = [...groups];
  }
  if (user['as-uid']) headers['Impersonate-Uid'] = user['as-uid'];
  for (const [key, values] of Object.entries(user['as-user-extra'] ?? {}))
    headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = [...values];
  return headers;
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ClusterUnreachableError(`kubeconfig ${what} ${path}: cannot read it`, {
      cause: error,
    });
  }
}

function fileOrData(
  file: string | undefined,
  data: string | undefined,
  what: string,
): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  return file ? readFile(file, what) : undefined;
}

/** TLS and headers from a kubeconfig without plugins: certificates, tokens, basic auth. */
function staticCredentials(config: LoadedKubeConfig): Credentials {
  const { cluster, user } = config;
  const tls: https.AgentOptions = {};
  const ca = fileOrData(
    cluster['certificate-authority'],
    cluster['certificate-authority-data'],
    'certificate-authority',
  );
  if (ca) tls.ca = ca;
  const cert = fileOrData(
    user['client-certificate'],
    user['client-certificate-data'],
    'client-certificate',
  );
  if (cert) tls.cert = cert;
  const key = fileOrData(user['client-key'], user['client-key-data'], 'client-key');
  if (key) tls.key = key;
  if (cluster['insecure-skip-tls-verify'] === true) tls.rejectUnauthorized = false;
  if (cluster['tls-server-name']) tls.servername = cluster['tls-server-name'];
  const headers: Headers = {};
  const token =
    user.token ??
    (user.tokenFile ? readFile(user.tokenFile, 'tokenFile').toString('utf8').trim() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (user.username !== undefined)
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  return { headers, tls };
}

/** Exec plugins and auth providers, through @kubernetes/client-node (loaded on demand). */
function pluginCredentials(config: LoadedKubeConfig): CredentialSource {
  return async () => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromString(
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'c',
        clusters: [{ name: 'c', cluster: config.cluster }],
        users: [{ name: 'u', user: config.user }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const tls: https.AgentOptions = {};
    if (opts.ca) tls.ca = opts.ca;
    if (opts.cert) tls.cert = opts.cert;
    if (opts.key) tls.key = opts.key;
    if (opts.rejectUnauthorized === false) tls.rejectUnauthorized = false;
    if (opts.servername) tls.servername = opts.servername;
    const headers: Headers = {};
    for (const [k, v] of Object.entries(opts.headers ?? {}))
      if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return { headers, tls };
  };
}
