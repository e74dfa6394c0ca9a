/**
 * Requests to the API server, bounded and retried (ADR 0061):
 * - every attempt has a timeout covering connect, headers and body (`requestTimeoutMs`, cut to
 *   what is left of the caller's deadline), and the caller's abort signal;
 * - connection errors, 429 and 5xx are retried with capped exponential back-off and full jitter,
 *   honouring `Retry-After`; a non-idempotent request is retried only when it surely was not
 *   processed (connection refused, 429);
 * - nothing outlives the caller's deadline: the last failure is reported, naming the server.
 * Clock, sleep and randomness are injected so the policy is tested without real time.
 */
import http from 'node:http';
import https from 'node:https';
import type { Headers } from './credentials.ts';

export interface TransportRequest {
  method: string;
  /** Path with query string, from the server's root. */
  path: string;
  body?: string;
  contentType?: string;
  /** Safe to send twice (GET, apply, merge patch, /scale, delete). */
  idempotent: boolean;
  signal?: AbortSignal;
  /** Absolute deadline, epoch ms. */
  deadline?: number;
  /** A watch: the attempt timeout covers only the response headers. */
  stream?: boolean;
}

export interface TransportResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** `Warning` headers, each as sent. */
  warnings: string[];
  /** The body, for non-stream requests. */
  text: string;
  /** The open body, for stream requests (the caller consumes or destroys it). */
  body?: http.IncomingMessage;
}

/** Why an attempt failed without an HTTP answer. */
export type TransportFailure =
  | { kind: 'timeout'; ms: number; phase: 'connect' | 'answer' }
  | { kind: 'deadline' }
  | { kind: 'aborted' }
  | { kind: 'connection'; code: string; message: string; sent: boolean };

/** A request that got no HTTP answer: the adapter turns it into a KubeError. */
export class TransportError extends Error {
  readonly failure: TransportFailure;
  readonly attempts: number;
  constructor(failure: TransportFailure, attempts: number, message: string) {
    super(message);
    this.name = 'TransportError';
    this.failure = failure;
    this.attempts = attempts;
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. @default 5 */
  attempts: number;
  /** First back-off. @default 200 */
  baseMs: number;
  /** Longest back-off (and longest Retry-After honoured). @default 5_000 */
  capMs: number;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without error) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** In [0, 1). */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
  random: () => Math.random(),
};

export interface TransportOptions {
  server: URL;
  tls: https.AgentOptions;
  /** Fresh headers for each attempt (credentials rotate). */
  headers: () => Promise<Headers>;
  /** Parallel sockets for ordinary requests. @default 16 */
  maxSockets?: number;
  /** Longest single attempt. @default 30_000 */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
}

const retriedStatuses = new Set([429, 500, 502, 503, 504]);
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

export class Transport {
  readonly server: URL;
  private readonly agent: http.Agent;
  /** Watches get their own sockets so they never starve requests. */
  private readonly streamAgent: http.Agent;
  private readonly options: TransportOptions;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  readonly requestTimeoutMs: number;

  constructor(options: TransportOptions) {
    this.options = options;
    this.server = options.server;
    const Agent = this.server.protocol === 'http:' ? http.Agent : https.Agent;
    this.agent = new Agent({
      ...options.tls,
      keepAlive: true,
      maxSockets: options.maxSockets ?? 16,
    });
    this.streamAgent = new Agent({ ...options.tls, keepAlive: false });
    this.policy = { attempts: 5, baseMs: 200, capMs: 5_000, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  close(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }

  /**
   * Sends the request, retrying what is safe to retry. Resolves with the last HTTP answer
   * (which may be an error status); throws TransportError when none came.
   */
  async send(req: TransportRequest): Promise<TransportResponse> {
    for (let attempt = 1; ; attempt++) {
      const left = this.left(req);
      if (left <= 0) throw this.fail({ kind: 'deadline' }, attempt - 1, req);
      if (req.signal?.aborted) throw this.fail({ kind: 'aborted' }, attempt - 1, req);
      let wait: number;
      try {
        const res = await this.attempt(req, left, attempt);
        if (!retriedStatuses.has(res.status) || attempt >= this.policy.attempts) return res;
        if (res.status !== 429 && !req.idempotent) return res;
        res.body?.destroy();
        wait = Math.max(this.backoff(attempt), retryAfterMs(res.headers['retry-after']) ?? 0);
        if (wait >= this.left(req)) return res;
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        const f = error.failure;
        const retriable =
          (f.kind === 'connection' && (req.idempotent || !f.sent)) ||
          (f.kind === 'timeout' && req.idempotent);
        if (!retriable || attempt >= this.policy.attempts) throw error;
        wait = this.backoff(attempt);
        if (wait >= this.left(req)) throw error;
      }
      await this.clock.sleep(Math.min(wait, this.policy.capMs), req.signal);
    }
  }

  /** Time left before the caller's deadline (Infinity without one). */
  private left(req: TransportRequest): number {
    return req.deadline === undefined ? Infinity : req.deadline - this.clock.now();
  }

  /** Full jitter: a random wait up to min(cap, base * 2^(attempt-1)). */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.policy.capMs, this.policy.baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + this.clock.random() / 2));
  }

  private fail(failure: TransportFailure, attempts: number, req: TransportRequest): TransportError {
    return new TransportError(failure, attempts, describeFailure(failure, this.server.origin, req));
  }

  /** One attempt, bounded by the request timeout, what is `left` of the deadline, and the signal. */
  private async attempt(
    req: TransportRequest,
    left: number,
    attempt: number,
  ): Promise<TransportResponse> {
    const timeoutMs = Math.min(left, this.requestTimeoutMs);
    const byDeadline = left <= this.requestTimeoutMs;
    const headers: Record<string, string | string[]> = {
      Accept: 'application/json',
      'User-Agent': 'berth',
      ...(await this.options.headers()),
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const lib = this.server.protocol === 'http:' ? http : https;
    const base = this.server.pathname.replace(/\/$/, '');
    return new Promise<TransportResponse>((resolve, reject) => {
      let connected = false;
      let settled = false;
      const abort = new AbortController();
      const finish = (error: TransportError | undefined, res?: TransportResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onCallerAbort);
        if (error) {
          abort.abort();
          reject(error);
        } else if (res) resolve(res);
      };
      const timer = setTimeout(() => {
        const failure: TransportFailure = byDeadline
          ? { kind: 'deadline' }
          : { kind: 'timeout', ms: timeoutMs, phase: connected ? 'answer' : 'connect' };
        finish(this.fail(failure, attempt, req));
      }, timeoutMs);
      // The operation's own deadline timer aborts too: name the deadline, not a cancellation.
      const onCallerAbort = (): void =>
        finish(
          this.fail(
            this.left(req) <= 50 ? { kind: 'deadline' } : { kind: 'aborted' },
            attempt,
            req,
          ),
        );
      req.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const r = lib.request(
        {
          protocol: this.server.protocol,
          hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
          port: this.server.port,
          path: base + req.path,
          method: req.method,
          headers,
          agent: req.stream ? this.streamAgent : this.agent,
          signal: abort.signal,
        },
        (res) => {
          if (req.stream) {
            finish(undefined, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              warnings: res.headersDistinct.warning ?? [],
              text: '',
              body: res,
            });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => finish(this.connectionFailure(e, true, attempt, req)));
          res.on('end', () =>
            finish(undefined, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              warnings: res.headersDistinct.warning ?? [],
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      r.on('socket', (socket) => {
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      r.on('error', (e) => finish(this.connectionFailure(e, connected, attempt, req)));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  private connectionFailure(
    error: Error & { code?: string },
    connected: boolean,
    attempt: number,
    req: TransportRequest,
  ): TransportError {
    const code = error.code ?? 'ERROR';
    // Without a connection the request never reached the server: safe to retry anything.
    const sent = connected || !connectionCodes.has(code);
    return this.fail({ kind: 'connection', code, message: error.message, sent }, attempt, req);
  }
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeFailure(f: TransportFailure, server: string, req: TransportRequest): string {
  switch (f.kind) {
    case 'timeout':
      return f.phase === 'connect'
        ? `could not connect to the API server at ${server} within ${f.ms} ms`
        : `the API server at ${server} accepted the connection but did not answer ${req.method} within ${f.ms} ms`;
    case 'deadline':
      return `the API server at ${server} did not answer ${req.method} before the operation's deadline`;
    case 'aborted':
      return `${req.method} to the API server at ${server} was cancelled`;
    case 'connection':
      return `cannot reach the API server at ${server}: ${f.message}`;
  }
}
