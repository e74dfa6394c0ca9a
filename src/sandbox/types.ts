/** The programs one sandbox runs, in start order. */
export const Component = {
  etcd: 'etcd',
  apiserver: 'kube-apiserver',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  kwok: 'kwok',
  provisioner: 'provisioner',
  metricsServer: 'metrics-server',
} as const;
export type Component = (typeof Component)[keyof typeof Component];
export const components: readonly Component[] = Object.values(Component);

/** Options shared by every sandbox operation. */
export interface SandboxOptions {
  /**
   * Which sandbox: each name has its own run folder, ports, certificates and etcd data, so
   * several can run side by side (the test harness uses its own).
   * @default 'default'
   */
  name?: string;
  /** Environment to resolve folders from (HOME, XDG_CACHE_HOME, BERTH_SANDBOX_*). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where progress lines go (one line per call, no newline). @default discards them */
  log?: (line: string) => void;
}

export interface StartOptions extends SandboxOptions {
  /**
   * Build the programs when the cache lacks them (a cold build takes many minutes). When false,
   * a missing build is an error that says how to build.
   * @default true
   */
  build?: boolean;
  /** Deadline for the whole start, once the programs are built. @default 120_000 */
  timeoutMs?: number;
}

export interface StopOptions extends SandboxOptions {
  /** Also delete the run folder (etcd data, certificates, logs). @default false */
  purge?: boolean;
  /** How long each process gets to exit after SIGTERM before SIGKILL. @default 10_000 */
  graceMs?: number;
}

export interface StartResult {
  /** Path of the admin kubeconfig (user in group system:masters). */
  kubeconfig: string;
  /** False when the sandbox was already running and nothing was started. */
  started: boolean;
  /** Wall time of the start in milliseconds (0 when already running). */
  elapsedMs: number;
}

export interface ComponentStatus {
  component: Component;
  /** running: process alive and its health check answers; unhealthy: alive but not answering. */
  state: 'running' | 'unhealthy' | 'stopped';
  pid?: number;
  /** Where it listens, for example `https://127.0.0.1:41234`. */
  endpoint?: string;
  log: string;
  detail?: string;
}

export interface SandboxStatus {
  name: string;
  running: boolean;
  kubeconfig: string;
  runDir: string;
  binDir: string;
  kubernetesVersion: string;
  components: ComponentStatus[];
}
