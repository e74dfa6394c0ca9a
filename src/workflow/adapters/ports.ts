/**
 * The tasks' other ports over the shared modules: queue depths (src/sources), notifications
 * (src/notify, with its retrying outbox), the cluster check and Jobs (the KubeApi port).
 */
import type { KubeApi } from '../../kube/api.ts';
import type { KubeObject } from '../../model/object.ts';
import { Notifier } from '../../notify/notifier.ts';
import { describeTarget, parseTarget } from '../../notify/targets.ts';
import type { FetchLike } from '../../notify/transport.ts';
import { createSourceReader, type SourceReader } from '../../sources/index.ts';
import type { Clock } from '../clock.ts';
import type { ClusterPort, JobPort, NotifyPort, QueuePort } from '../tasks/ports.ts';

export function queuePort(): QueuePort & { close(): Promise<void> } {
  const reader: SourceReader = createSourceReader();
  return {
    readDepth: (source, options) => reader.readDepth(source, options),
    close: () => reader.close(),
  };
}

export function notifyPort(
  env: Readonly<Record<string, string | undefined>>,
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): NotifyPort {
  return {
    target: (spec) => parseTarget(spec, env),
    async send(target, message) {
      const notifier = await Notifier.open({
        targets: [target],
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      await notifier.notify(message);
      const r = await notifier.drain({ timeoutMs: options.timeoutMs ?? 30_000 });
      if (r.delivered === 0) {
        const why =
          r.dead[0]?.lastError ??
          (r.pending > 0 ? 'not delivered before the deadline' : 'rejected');
        throw new Error(`${describeTarget(target)}: ${why}`);
      }
    },
  };
}

export function clusterPort(api: KubeApi, sandbox: boolean): ClusterPort {
  return {
    async check(req) {
      const b = { deadline: Date.now() + 15_000, signal: req.signal };
      const ns = await api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' }, b);
      if (!ns) throw new Error(`${api.server}: no kube-system namespace (is this a cluster?)`);
      const version = await serverVersion(api, b);
      return { server: api.server, version, sandbox };
    },
  };
}

/** The server's version, from discovery of a kind every version serves (no /version in the port). */
async function serverVersion(api: KubeApi, b: { deadline: number }): Promise<string> {
  // FlowSchema v1 is served from 1.29; v1beta3 from 1.26 to 1.31. Good enough for a floor check.
  if (await api.resource('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', b)) return 'v1.29+';
  if (await api.resource('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', b)) return 'v1.26+';
  return 'v1.25';
}

export function jobPort(api: KubeApi, clock: Clock, pollMs = 1000): JobPort {
  return {
    async run(req) {
      const job: KubeObject = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: req.name,
          namespace: req.namespace,
          labels: { 'app.kubernetes.io/managed-by': 'berth', 'berth.dev/workflow-job': 'true' },
        },
        spec: {
          backoffLimit: req.backoffLimit,
          template: {
            metadata: { labels: { 'berth.dev/workflow-job': req.name } },
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 1001,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [
                {
                  name: 'job',
                  image: req.image,
                  command: req.command,
                  env: Object.entries(req.env).map(([name, value]) => ({ name, value })),
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ['ALL'] },
                  },
                },
              ],
            },
          },
        },
      };
      const deadline = clock.now() + req.timeoutMs;
      const b = { deadline, signal: req.signal };
      // Server-side apply by name: a resumed run finds the Job it created instead of a second one.
      await api.apply(job, { ...b, fieldManager: 'berth', force: true });
      for (;;) {
        const live = await api.get(
          { apiVersion: 'batch/v1', kind: 'Job', namespace: req.namespace, name: req.name },
          b,
        );
        const conditions =
          (
            live?.status as
              { conditions?: { type: string; status: string; message?: string }[] } | undefined
          )?.conditions ?? [];
        const done = conditions.find(
          (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
        );
        if (done) {
          const pod = await lastPod(api, req.namespace, req.name, b);
          const r: { succeeded: boolean; exitCode?: number; logsTail: string } = {
            succeeded: done.type === 'Complete',
            logsTail: pod.logs ?? pod.message ?? done.message ?? '',
          };
          if (pod.exitCode !== undefined) r.exitCode = pod.exitCode;
          return r;
        }
        if (clock.now() >= deadline || req.signal.aborted)
          throw new Error(`job ${req.name} did not finish before the deadline`);
        req.onProgress?.(`job ${req.name} running`);
        await clock.sleep(pollMs, req.signal);
      }
    },
  };
}

/** The exit code, termination message and last 20 log lines of the Job's last pod. */
async function lastPod(
  api: KubeApi,
  namespace: string,
  job: string,
  b: { deadline: number },
): Promise<{ exitCode?: number; message?: string; logs?: string }> {
  const { items } = await api.list(
    { apiVersion: 'v1', kind: 'Pod', namespace },
    { ...b, labelSelector: `job-name=${job}` },
  );
  const pod = items.at(-1);
  const statuses =
    (
      pod?.status as
        | {
            containerStatuses?: {
              state?: { terminated?: { exitCode?: number; message?: string; reason?: string } };
            }[];
          }
        | undefined
    )?.containerStatuses ?? [];
  const t = statuses[0]?.state?.terminated;
  const out: { exitCode?: number; message?: string; logs?: string } = {};
  if (t?.exitCode !== undefined) out.exitCode = t.exitCode;
  const msg = t?.message ?? t?.reason;
  if (msg !== undefined) out.message = msg;
  if (pod) {
    // A log that cannot be read (pod gone, kubelet unreachable) leaves the termination message.
    const logs = await api
      .podLogs(
        { apiVersion: 'v1', kind: 'Pod', namespace, name: pod.metadata.name },
        { ...b, tailLines: 20 },
      )
      .catch(
        (error: unknown) =>
          `(log not available: ${error instanceof Error ? error.message : String(error)})`,
      );
    if (logs.trim() !== '') out.logs = logs.trimEnd();
  }
  return out;
}
