/**
 * Pod logs in the sandbox: kwok serves `pods/log` for every fake container from a log file in
 * CRI format (a `ClusterLogs` rule appended to the kwok configuration of the run). The file is
 * written at each start with lines stamped at that time; appending to it (`appendPodLog`) is what
 * a container printing would look like to `kubectl logs -f` and `berth logs -f`.
 */
import { readFile, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxPaths } from './paths.ts';

/** The log every fake container has, and the one `--previous` shows. */
export function podLogFiles(paths: SandboxPaths): { current: string; previous: string } {
  const dir = join(paths.runDir, 'pod-logs');
  return { current: join(dir, 'container.log'), previous: join(dir, 'previous.log') };
}

/** The kwok configuration of the run: the sandbox's own, plus the logs rule. */
export function kwokConfigOf(paths: SandboxPaths): string {
  return join(paths.runDir, 'kwok.yaml');
}

function criLines(lines: readonly string[], at: Date): string {
  const stamp = at.toISOString().replace('Z', '000000Z');
  return lines.map((l) => `${stamp} stdout F ${l}\n`).join('');
}

/** Writes the log files and the run's kwok configuration; returns the configuration's path. */
export async function writeKwokConfig(
  paths: SandboxPaths,
  source: string,
  now = new Date(),
): Promise<string> {
  const files = podLogFiles(paths);
  await mkdir(join(paths.runDir, 'pod-logs'), { recursive: true });
  await writeFile(
    files.current,
    criLines(['berth sandbox: container started', 'listening on :8080', 'ready'], now),
  );
  await writeFile(files.previous, criLines(['berth sandbox: previous run', 'exited'], now));
  const rule = [
    '---',
    '# Added by the sandbox at start (src/sandbox/pod-logs.ts): every container logs this file.',
    'apiVersion: kwok.x-k8s.io/v1alpha1',
    'kind: ClusterLogs',
    'metadata:',
    '  name: sandbox-pod-logs',
    'spec:',
    '  logs:',
    '    - containers: []',
    `      logsFile: ${JSON.stringify(files.current)}`,
    `      previousLogsFile: ${JSON.stringify(files.previous)}`,
    '      follow: true',
    '',
  ].join('\n');
  const target = kwokConfigOf(paths);
  await writeFile(target, `${(await readFile(source, 'utf8')).trimEnd()}\n${rule}`);
  return target;
}

/** Appends lines to every fake container's log (they appear to followers at once). */
export async function appendPodLog(
  paths: SandboxPaths,
  lines: readonly string[],
  now = new Date(),
): Promise<void> {
  await appendFile(podLogFiles(paths).current, criLines(lines, now));
}
