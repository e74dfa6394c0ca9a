/** Checks of one container's resources, volumes and mounts against the effective (defaulted) values. */
import { parseQuantity } from '../../model/quantity.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import { engines } from '../engines.ts';
import { effectiveResources, exposedPorts, fileKey } from '../resolve.ts';
import type { Component, Workspace } from '../workspace.ts';
import type { Reporter } from './structural.ts';

/** A quantity's value, NaN when invalid (structural validation reports it; comparisons stay false). */
function amount(text: string): number {
  return parseQuantity(text) ?? Number.NaN;
}

export function checkSizes(ws: Workspace, c: Component, r: Reporter): void {
  const res = effectiveResources(ws.platform.spec, c.spec.resources);
  const pairs = [
    ['cpu', amount(res.requests.cpu), amount(res.limits.cpu)],
    ['memory', amount(res.requests.memory), amount(res.limits.memory)],
    [
      'ephemeralStorage',
      amount(res.requests.ephemeralStorage),
      amount(res.limits.ephemeralStorage),
    ],
  ] as const;
  for (const [name, request, limit] of pairs) {
    if (request > limit)
      r.report(
        ['spec', 'resources', 'requests', name],
        `the ${name} request (${res.requests[name]}) is above the limit (${res.limits[name]})`,
        'raise the limit or lower the request',
      );
  }
  const dirs = c.spec.writablePaths.filter((w) => w.medium === '');
  let total = dirs.reduce((sum, w) => sum + amount(w.sizeLimit), 0);
  if (c.spec.tmp) total += amount(ws.platform.spec.defaults.tmpSizeLimit);
  const limit = amount(res.limits.ephemeralStorage);
  if (total > limit)
    r.report(
      ['spec', 'writablePaths'],
      `emptyDir size limits (${formatBytes(total)}) exceed the ephemeral-storage limit (${res.limits.ephemeralStorage})`,
      'lower writablePaths[].sizeLimit or raise resources.limits.ephemeralStorage',
    );
  const grace =
    c.spec.terminationGracePeriodSeconds ?? ws.platform.spec.defaults.terminationGracePeriodSeconds;
  const preStop =
    c.spec.preStopSleepSeconds ??
    (exposedPorts(c).length > 0 ? ws.platform.spec.defaults.preStopSleepSeconds : 0);
  if (preStop >= grace)
    r.report(
      ['spec', 'preStopSleepSeconds'],
      `the preStop sleep (${preStop}s) must be shorter than terminationGracePeriodSeconds (${grace}s)`,
      'the process needs time after the sleep to shut down',
    );
}

function formatBytes(n: number): string {
  const gi = n / 2 ** 30;
  return gi >= 1 ? `${Math.round(gi * 100) / 100}Gi` : `${Math.round((n / 2 ** 20) * 100) / 100}Mi`;
}

const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

export function checkFiles(c: Component, r: Reporter): void {
  const keys = new Map<string, string>();
  const paths = Object.keys(c.spec.files);
  if (c.kind === 'Agent' && c.spec.schedules.length > 0) paths.push(c.spec.schedulesPath);
  for (const path of paths) {
    const at = path in c.spec.files ? ['spec', 'files', path] : ['spec', 'schedulesPath'];
    const key = fileKey(path);
    if (!CONFIGMAP_KEY.test(key) || path.endsWith('/')) {
      r.report(
        at,
        `file path "${path}" cannot be a ConfigMap key`,
        'use letters, digits, "-", "_" and "." in file and folder names',
        at[1] === 'files',
      );
      continue;
    }
    const other = keys.get(key);
    if (other !== undefined)
      r.report(
        at,
        `files "${other}" and "${path}" would share the ConfigMap key "${key}"`,
        'rename one of them',
        at[1] === 'files',
      );
    else keys.set(key, path);
  }
}

/** Every mount path of the container must be distinct (the API server refuses duplicates). */
export function checkMounts(ws: Workspace, c: Component, r: Reporter): void {
  const mounts: { path: string; what: string; at: PathSegment[] }[] = [];
  if (c.kind === 'Agent')
    mounts.push({
      path: c.spec.storage.mountPath ?? ws.platform.spec.agents.mountPath,
      what: 'the agent volume',
      at: ['spec', 'storage', 'mountPath'],
    });
  if (c.kind === 'Store')
    mounts.push({
      path: engines[c.spec.engine].dataPath,
      what: 'the store volume',
      at: ['spec', 'engine'],
    });
  if (c.spec.tmp) mounts.push({ path: '/tmp', what: 'the /tmp emptyDir', at: ['spec', 'tmp'] });
  c.spec.writablePaths.forEach((w, i) =>
    mounts.push({
      path: w.path,
      what: `writablePaths[${i}]`,
      at: ['spec', 'writablePaths', i, 'path'],
    }),
  );
  for (const path of Object.keys(c.spec.files))
    mounts.push({ path, what: `the file ${path}`, at: ['spec', 'files', path] });
  const seen = new Map<string, string>();
  for (const m of mounts) {
    const path = m.path.replace(/\/+$/, '') || '/';
    const prev = seen.get(path);
    if (prev !== undefined)
      r.report(
        m.at,
        `${m.what} is mounted at ${path}, where ${prev} already is`,
        'use distinct paths',
      );
    else seen.set(path, m.what);
  }
}
