/**
 * The transport under KubeClient: node's https with keep-alive, TLS material and credentials
 * taken from the kubeconfig by @kubernetes/client-node (so exec plugins, OIDC, client
 * certificates and in-cluster tokens all work as in kubectl).
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterUnreachableError } from './errors.ts';

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

/** Credentials from exec plugins and auth providers expire: refresh them this often. */
const credentialTtlMs = 60_000;

export class HttpTransport {
  readonly server: URL;
  private readonly kc: KubeConfig;
  private readonly agent: http.Agent;
  /** Long-running watches get their own sockets so they never starve requests. */
  private readonly watchAgent: http.Agent;
  private credentials: Credentials | undefined;
  private readonly dynamicCredentials: boolean;

  private constructor(kc: KubeConfig, tls: https.AgentOptions, maxSockets: number) {
    const cluster = kc.getCurrentCluster();
    this.server = new URL(cluster?.server ?? 'http://localhost:8080');
    this.kc = kc;
    const Agent = this.server.protocol === 'http:' ? http.Agent : https.Agent;
    this.agent = new Agent({ ...tls, keepAlive: true, maxSockets });
    this.watchAgent = new Agent({ ...tls, keepAlive: false });
    const user = kc.getCurrentUser();
    this.dynamicCredentials = Boolean(user?.exec ?? user?.authProvider);
  }

  static async create(kc: KubeConfig, maxSockets: number): Promise<HttpTransport> {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const tls: https.AgentOptions = {};
    if (opts.ca) tls.ca = opts.ca;
    if (opts.cert) tls.cert = opts.cert;
    if (opts.key) tls.key = opts.key;
    if (opts.rejectUnauthorized === false) tls.rejectUnauthorized = false;
    if (opts.servername) tls.servername = opts.servername;
    const transport = new HttpTransport(kc, tls, maxSockets);
    transport.credentials = { headers: headersOf(opts), refreshedAt: Date.now() };
    return transport;
  }

  private async headers(): Promise<Record<string, string>> {
    const stale =
      !this.credentials ||
      (this.dynamicCredentials && Date.now() - this.credentials.refreshedAt > credentialTtlMs);
    if (stale) {
      const opts: https.RequestOptions = {};
      await this.kc.applyToHTTPSOptions(opts);
      this.credentials = { headers: headersOf(opts), refreshedAt: Date.now() };
    }
    return this.credentials?.headers ?? {};
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
      `cannot reach the cluster at ${this.server.origin} (context "${this.kc.getCurrentContext()}"): ${error.message}`,
      { cause: error },
    );
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

function headersOf(opts: https.RequestOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  if (opts.auth) out.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return out;
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
