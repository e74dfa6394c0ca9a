/**
 * The transport under KubeClient: node's https with keep-alive. TLS material and credentials
 * come from the kubeconfig (client certificates, tokens, token files, basic auth); users with an
 * exec plugin or an auth provider get theirs from @kubernetes/client-node, loaded only then.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { stringify } from 'yaml';
import { ClusterUnreachableError } from './errors.ts';
import type { LoadedKubeConfig } from './kubeconfig.ts';

export interface HttpResponse {
  status: number;
  text: string;
  /** `Warning` headers (Pod Security "would violate", deprecated APIs). */
  warnings: string[];
}

export interface HttpRequest {
  method: string;
  /** Path with query string. */
  path: string;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
}

interface Credentials {
  headers: Record<string, string>;
  refreshedAt: number;
}

/** Tokens from files and plugins rotate: credentials are recomputed this often. */
const credentialTtlMs = 60_000;

type CredentialSource = () => Promise<{ headers: Record<string, string>; tls: https.AgentOptions }>;

export class HttpTransport {
  readonly server: URL;
  private readonly config: LoadedKubeConfig;
  private readonly agent: http.Agent;
  /** Long-running watches get their own sockets so they never starve requests. */
  private readonly watchAgent: http.Agent;
  private credentials: Credentials;
  private readonly source: CredentialSource;
  private readonly rotating: boolean;

  private constructor(
    config: LoadedKubeConfig,
    tls: https.AgentOptions,
    maxSockets: number,
    first: Credentials,
    source: CredentialSource,
  ) {
    this.config = config;
    this.server = new URL(config.server);
    const Agent = this.server.protocol === 'http:' ? http.Agent : https.Agent;
    this.agent = new Agent({ ...tls, keepAlive: true, maxSockets });
    this.watchAgent = new Agent({ ...tls, keepAlive: false });
    this.credentials = first;
    this.source = source;
    const u = config.user;
    this.rotating = Boolean(u.tokenFile ?? u.exec ?? u['auth-provider']);
  }

  static async create(config: LoadedKubeConfig, maxSockets: number): Promise<HttpTransport> {
    if (config.cluster['proxy-url'])
      throw new ClusterUnreachableError(
        `context "${config.context}": proxy-url is not supported by berth yet; use a direct route to ${config.server}`,
      );
    const source: CredentialSource =
      config.user.exec || config.user['auth-provider']
        ? pluginCredentials(config)
        : () => Promise.resolve(staticCredentials(config));
    const first = await source();
    return new HttpTransport(
      config,
      first.tls,
      maxSockets,
      { headers: first.headers, refreshedAt: Date.now() },
      source,
    );
  }

  private async headers(): Promise<Record<string, string>> {
    if (this.rotating && Date.now() - this.credentials.refreshedAt > credentialTtlMs) {
      const fresh = await this.source();
      this.credentials = { headers: fresh.headers, refreshedAt: Date.now() };
    }
    return this.credentials.headers;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.open(req, this.agent);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return {
      status: res.statusCode ?? 0,
      text: Buffer.concat(chunks).toString('utf8'),
      warnings: warningsOf(res.headersDistinct.warning),
    };
  }

  /** Opens a streaming request (a watch); the caller reads the response body. */
  stream(req: HttpRequest): Promise<http.IncomingMessage> {
    return this.open(req, this.watchAgent);
  }

  private async open(req: HttpRequest, agent: http.Agent): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'berth',
      ...(await this.headers()),
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const lib = this.server.protocol === 'http:' ? http : https;
    const base = this.server.pathname.replace(/\/$/, '');
    return new Promise((resolve, reject) => {
      const r = lib.request(
        {
          protocol: this.server.protocol,
          hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
          port: this.server.port,
          path: base + req.path,
          method: req.method,
          headers,
          agent,
          signal: req.signal,
        },
        resolve,
      );
      r.on('error', (error) => reject(this.unreachable(error)));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  private unreachable(error: Error): Error {
    if (error.name === 'AbortError') return error;
    return new ClusterUnreachableError(
      `cannot reach the cluster at ${this.server.origin} (context "${this.config.context}"): ${error.message}`,
      { cause: error },
    );
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
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
function staticCredentials(config: LoadedKubeConfig): {
  headers: Record<string, string>;
  tls: https.AgentOptions;
} {
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
  const headers: Record<string, string> = {};
  const token =
    user.token ??
    (user.tokenFile ? readFile(user.tokenFile, 'tokenFile').toString('utf8').trim() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (user.username !== undefined)
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  if (user.as) headers['Impersonate-User'] = user.as;
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
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {}))
      if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return { headers, tls };
  };
}

/** `299 - "message"` warning headers, as kubectl prints them. */
function warningsOf(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const list = Array.isArray(header) ? header : [header];
  return list.map((w) => {
    const m = /^\d{3} \S+ "(.*)"$/s.exec(w);
    return (m?.[1] ?? w).replace(/\\"/g, '"');
  });
}
