/**
 * Real servers for tests, each on a random loopback port with its own temporary folder:
 * `nats-server` (JetStream), `redis-server`, `prometheus` (Debian packages, installed by
 * scripts/setup.sh) and a tiny HTTP server. Every start and stop has a deadline. Shared by the
 * autoscaler, the workflow `query` task and anyone else who needs a real queue or metrics server.
 *
 *   const nats = await startNats(t);           // stopped when the test ends
 *   await nats.stop(); await nats.start();     // same port, same JetStream store
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as tcpConnect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Something with an `after` hook (a node:test TestContext or suite); optional everywhere. */
export interface Cleanup {
  after(fn: () => Promise<void> | void): void;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port (answer within 500 ms). */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A server process that can be stopped and started again on the same port and data folder. */
export interface ServerHandle {
  /** `nats://127.0.0.1:port`, `redis://127.0.0.1:port`, `http://127.0.0.1:port`. */
  url: string;
  port: number;
  /** The server's temporary data folder (removed by `dispose`). */
  dir: string;
  start(): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); resolves when it has exited. */
  stop(): Promise<void>;
  isRunning(): boolean;
  /** Stops the server and removes its folder. */
  dispose(): Promise<void>;
}

export interface ProcessServerOptions {
  name: string;
  command: string;
  args: (port: number, dir: string) => string[];
  url: (port: number) => string;
  /** Resolves true once the server answers. @default TCP accept on the port */
  ready?: (port: number) => Promise<boolean>;
  /** Writes config files into the folder before the first start. */
  prepare?: (dir: string, port: number) => Promise<void>;
  /** @default 20_000 */
  startTimeoutMs?: number;
}

/** Starts a server process on a free port and waits (with a deadline) until it answers. */
export async function startProcessServer(
  options: ProcessServerOptions,
  cleanup?: Cleanup,
): Promise<ServerHandle> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), `berth-${options.name}-`));
  await options.prepare?.(dir, port);
  let child: ChildProcess | undefined;
  let output = '';
  const ready = options.ready ?? isListening;
  const handle: ServerHandle = {
    url: options.url(port),
    port,
    dir,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      if (handle.isRunning()) return;
      output = '';
      const proc = spawn(options.command, options.args(port, dir), {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
      const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
      for (;;) {
        const failed = await Promise.race([spawnError, sleep(0).then(() => undefined)]);
        if (failed) throw new Error(`${options.name} did not start: ${failed.message}`);
        if (!handle.isRunning())
          throw new Error(`${options.name} exited at start (${proc.exitCode}):\n${output}`);
        if (await ready(port)) return;
        if (Date.now() > deadline) {
          await handle.stop();
          throw new Error(`${options.name} did not answer on port ${port} in time:\n${output}`);
        }
        await sleep(50);
      }
    },
    async stop() {
      const proc = child;
      if (!proc || !handle.isRunning()) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async dispose() {
      await handle.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  cleanup?.after(() => handle.dispose());
  await handle.start();
  return handle;
}

/** nats-server with JetStream (`-js -sd <dir>`) on a free loopback port. */
export function startNats(cleanup?: Cleanup): Promise<ServerHandle> {
  return startProcessServer(
    {
      name: 'nats',
      command: process.env.BERTH_NATS_SERVER ?? 'nats-server',
      args: (port, dir) => ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir],
      url: (port) => `nats://127.0.0.1:${port}`,
    },
    cleanup,
  );
}

/** redis-server without persistence on a free loopback port. */
export function startRedis(cleanup?: Cleanup): Promise<ServerHandle> {
  return startProcessServer(
    {
      name: 'redis',
      command: process.env.BERTH_REDIS_SERVER ?? 'redis-server',
      args: (port, dir) => [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      url: (port) => `redis://127.0.0.1:${port}`,
    },
    cleanup,
  );
}

export interface PrometheusOptions {
  /** `host:port` targets to scrape. */
  targets: string[];
  /** @default '1s' */
  scrapeInterval?: string;
}

/** Prometheus scraping `targets`, on a free loopback port; ready when /-/ready answers 200. */
export function startPrometheus(
  options: PrometheusOptions,
  cleanup?: Cleanup,
): Promise<ServerHandle> {
  const interval = options.scrapeInterval ?? '1s';
  return startProcessServer(
    {
      name: 'prometheus',
      command: process.env.BERTH_PROMETHEUS ?? 'prometheus',
      prepare: (dir) =>
        writeFile(
          join(dir, 'prometheus.yml'),
          [
            'global:',
            `  scrape_interval: ${interval}`,
            `  evaluation_interval: ${interval}`,
            'scrape_configs:',
            '  - job_name: test',
            '    static_configs:',
            `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
            '',
          ].join('\n'),
        ),
      args: (port, dir) => [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      url: (port) => `http://127.0.0.1:${port}`,
      ready: async (port) => {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/-/ready`, {
            signal: AbortSignal.timeout(500),
          });
          return res.ok;
        } catch {
          return false;
        }
      },
      startTimeoutMs: 30_000,
    },
    cleanup,
  );
}

export interface HttpServerHandle {
  url: string;
  port: number;
  /** Requests seen, in order. */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** A local HTTP server on a free loopback port answering with `handler`. */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  cleanup?: Cleanup,
): Promise<HttpServerHandle> {
  const requests: HttpServerHandle['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const handle: HttpServerHandle = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  cleanup?.after(() => handle.close());
  return handle;
}
