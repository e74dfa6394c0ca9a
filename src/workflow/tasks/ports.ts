/**
 * What tasks call: narrow ports, implemented in src/workflow/adapters/ over the shared modules
 * (src/release for releases and day-2 verbs, src/kube for Jobs and the cluster check,
 * src/sources for queue depths, src/notify for notifications). A port a run lacks makes the
 * tasks that need it fail with a clear "not available" error, never a silent success.
 */
import type { Notification } from '../../notify/types.ts';
import type { Target } from '../../notify/targets.ts';
import type { Depth, ReadOptions, Source } from '../../sources/types.ts';

interface Call {
  signal: AbortSignal;
  /** Live reason for the step's line. */
  onProgress?: (message: string) => void;
}

/** A workload of the workspace, addressed by component name. */
export interface WorkloadRef {
  component: string;
  /** @default the component's namespace in the workspace */
  namespace?: string;
}

export interface ReleaseRefParams {
  release: string;
  namespace: string;
}

export interface Readiness {
  ready: boolean;
  /** Why not, one line per object that is not ready (the readiness engine's reasons). */
  reasons: string[];
}

export interface ReleasePort {
  /** The release a step applies when it names none: `<platform>-<step>`, in the platform namespace. */
  defaultRelease(step: string): ReleaseRefParams;
  /** The revision in force, undefined when the release does not exist yet. */
  currentRevision(ref: ReleaseRefParams): Promise<number | undefined>;
  /** The latest revision that was deployed successfully (current or superseded). */
  lastGoodRevision(ref: ReleaseRefParams): Promise<number | undefined>;
  /** Applies components of the workspace (all when none) or manifest files as a new revision. */
  apply(
    req: ReleaseRefParams &
      Call & {
        components: string[];
        manifests: string[];
        /** Inline manifests. */
        objects: unknown[];
        wait: boolean;
        timeoutMs: number;
      },
  ): Promise<Readiness & { revision: number; objects: number }>;
  /** Restores `revision`; revision 0 removes everything the release applied. */
  rollback(
    req: ReleaseRefParams & Call & { revision: number; wait: boolean; timeoutMs: number },
  ): Promise<Readiness & { revision: number }>;
  replicas(ref: WorkloadRef): Promise<number>;
  scale(req: WorkloadRef & Call & { replicas: number }): Promise<void>;
  /** Container name → image of the workload. */
  images(ref: WorkloadRef): Promise<Record<string, string>>;
  upgrade(
    req: WorkloadRef & Call & { images: Record<string, string>; wait: boolean; timeoutMs: number },
  ): Promise<Readiness>;
  restart(req: WorkloadRef & Call & { wait: boolean; timeoutMs: number }): Promise<Readiness>;
  /** Readiness of components (all when none) or of a release's objects, waiting up to timeoutMs. */
  health(
    req: Call & { components: string[]; release?: ReleaseRefParams; timeoutMs: number },
  ): Promise<Readiness>;
}

export interface JobSpec {
  namespace: string;
  name: string;
  image: string;
  command: string[];
  env: Record<string, string>;
  backoffLimit: number;
}

export interface JobPort {
  /** Creates the Job (or finds it, same name), waits for completion, returns the log tail. */
  run(req: JobSpec & Call & { timeoutMs: number }): Promise<{
    succeeded: boolean;
    exitCode?: number;
    logsTail: string;
  }>;
}

export interface ClusterPort {
  /** The API server answers: its address and version. */
  check(req: Call): Promise<{ server: string; version: string; sandbox: boolean }>;
}

export interface QueuePort {
  readDepth(source: Source, options: ReadOptions): Promise<Depth>;
}

export interface NotifyPort {
  /** Parses `slack=URL`-style targets (secrets from the environment, as `--notify`). */
  target(spec: string): Target;
  send(target: Target, message: Notification, req: Call): Promise<void>;
}

export interface TaskPorts {
  releases?: ReleasePort;
  jobs?: JobPort;
  cluster?: ClusterPort;
  queues?: QueuePort;
  notify?: NotifyPort;
}
