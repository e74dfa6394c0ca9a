/** What each Store engine needs by default: ports, arguments, data path, probe path. */
import type { Port } from './schema/common.ts';

export interface EngineDefaults {
  ports: Port[];
  /** Container args; `{replicas}`-dependent parts are added by `engineArgs`. */
  dataPath: string;
  healthPath?: string;
  healthPort?: string;
}

const p = (name: string, port: number, extra: Partial<Port> = {}): Port => ({
  name,
  port,
  protocol: 'TCP',
  expose: true,
  metrics: false,
  metricsPath: '/metrics',
  ...extra,
});

export const engines = {
  surrealdb: {
    ports: [p('http', 8000)],
    dataPath: '/data',
    healthPath: '/health',
    healthPort: 'http',
  },
  redis: { ports: [p('redis', 6379)], dataPath: '/data' },
  nats: {
    ports: [p('client', 4222), p('cluster', 6222), p('monitor', 8222)],
    dataPath: '/data',
    healthPath: '/healthz',
    healthPort: 'monitor',
  },
} as const satisfies Record<string, EngineDefaults>;
export type Engine = keyof typeof engines;

/** Default container args of a store engine (used when the Store gives none). */
export function engineArgs(
  engine: Engine,
  name: string,
  namespace: string,
  replicas: number,
): string[] {
  switch (engine) {
    case 'surrealdb':
      return ['start', '--bind', '0.0.0.0:8000', 'rocksdb:/data/db'];
    case 'redis':
      return ['--appendonly', 'yes', '--dir', '/data', '--protected-mode', 'no'];
    case 'nats': {
      const args = [
        '--jetstream',
        '--store_dir',
        '/data',
        '--http_port',
        '8222',
        '--name',
        '$(POD_NAME)',
      ];
      if (replicas < 2) return args;
      const routes = Array.from(
        { length: replicas },
        (_, i) => `nats://${name}-${i}.${name}-headless.${namespace}.svc:6222`,
      ).join(',');
      return [
        ...args,
        '--cluster_name',
        name,
        '--cluster',
        'nats://0.0.0.0:6222',
        '--routes',
        routes,
      ];
    }
  }
}
