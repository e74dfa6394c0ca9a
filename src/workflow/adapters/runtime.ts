/**
 * Everything a run needs from the outside, wired once for the CLI: the cluster (KubeApi and the
 * deploy applier), the workspace rendered to objects, the run store, and the task ports.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyObjects } from '../../deploy/apply.ts';
import { listFiles } from '../../files/walk.ts';
import type { KubeApi } from '../../kube/api.ts';
import { connectKube } from '../../kube/connect.ts';
import type { KubeObject } from '../../model/object.ts';
import type { Applier } from '../../release/adapters/ship.ts';
import { whoAmI } from '../../release/adapters/lease.ts';
import { renderWorkspace } from '../../render/index.ts';
import { loadWorkspace } from '../../spec/adapters/files.ts';
import type { Workspace } from '../../spec/workspace.ts';
import { parseYamlStream } from '../../yaml/stream.ts';
import type { Clock } from '../clock.ts';
import type { TaskPorts } from '../tasks/ports.ts';
import { KubeRunStore } from './kube-store.ts';
import { clusterPort, jobPort, notifyPort, queuePort } from './ports.ts';
import { releasePort } from './releases.ts';
import type { FetchLike } from '../../notify/transport.ts';

export interface RuntimeOptions {
  kubeconfig?: string;
  context?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The cluster is a berth sandbox (the `cluster` task reports it). @default guessed from the path */
  sandbox?: boolean;
  /** The workspace folder (absent: tasks that need it fail with "not available"). */
  workspaceDir?: string;
  /** The run store's namespace (else the platform's, else the kubeconfig context's). */
  namespace?: string;
  clock: Clock;
  berthVersion: string;
  /** Changes the rendered objects (tests move them to their own namespaces, inject faults). */
  transformObjects?: (objects: KubeObject[]) => KubeObject[];
  /** For notifications (tests point it nowhere else; production uses global fetch). */
  fetch?: FetchLike;
}

export interface Runtime {
  api: KubeApi;
  store: KubeRunStore;
  ports: TaskPorts;
  workspace?: Workspace;
  close(): Promise<void>;
}

export async function openRuntime(o: RuntimeOptions): Promise<Runtime> {
  const conn = {
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(o.context ? { context: o.context } : {}),
    env: o.env,
  };
  const api = await connectKube(conn);
  const applier: Applier = (objects, opts) =>
    applyObjects(api, objects, {
      wait: opts.wait,
      timeoutMs: opts.timeoutMs,
      force: opts.force,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });
  const workspace = o.workspaceDir ? await loadOptionalWorkspace(o.workspaceDir) : undefined;
  const platformNs = workspace
    ? (workspace.platform.spec.namespace ?? workspace.platform.name)
    : undefined;
  const namespace = o.namespace ?? platformNs ?? api.defaultNamespace;
  const queues = queuePort();
  const ports: TaskPorts = {
    cluster: clusterPort(api, o.sandbox ?? /sandbox/.test(o.kubeconfig ?? '')),
    jobs: jobPort(api, o.clock),
    queues,
    notify: notifyPort(o.env, o.fetch ? { fetch: o.fetch } : {}),
  };
  if (workspace && o.workspaceDir) {
    const dir = o.workspaceDir;
    ports.releases = releasePort({
      api,
      apply: applier,
      platform: workspace.platform.name,
      namespace: platformNs ?? namespace,
      objects: (o.transformObjects ?? ((x: KubeObject[]) => x))(renderWorkspace(workspace)),
      loadManifests: (paths) => loadManifests(dir, paths),
      by: whoAmI(),
      berthVersion: o.berthVersion,
      clock: o.clock,
    });
  }
  return {
    api,
    store: new KubeRunStore(api, namespace),
    ports,
    ...(workspace ? { workspace } : {}),
    close: async () => {
      await queues.close();
      api.close();
    },
  };
}

/** The workspace when the folder holds a Platform; undefined when it holds only workflows. */
async function loadOptionalWorkspace(dir: string): Promise<Workspace | undefined> {
  try {
    return await loadWorkspace(dir);
  } catch (error) {
    const diagnostics = (error as { diagnostics?: { message: string }[] }).diagnostics;
    if (diagnostics?.length === 1 && diagnostics[0]?.message === 'no Platform document found')
      return undefined;
    throw error;
  }
}

async function loadManifests(dir: string, paths: readonly string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const p of paths) {
    const full = resolve(dir, p);
    const files = (await stat(full)).isDirectory()
      ? await listFiles(full, (n) => /\.ya?ml$/.test(n))
      : [full];
    for (const f of files) {
      const stream = parseYamlStream(await readFile(f, 'utf8'), f);
      if (stream.diagnostics.length > 0)
        throw new Error(`${f}: ${stream.diagnostics[0]?.message ?? 'invalid YAML'}`);
      for (const d of stream.documents) {
        const v = d.value as Partial<KubeObject> | null;
        if (v && typeof v.apiVersion === 'string' && typeof v.kind === 'string')
          out.push(v as KubeObject);
      }
    }
  }
  return out;
}
