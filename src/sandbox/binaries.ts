/** The sandbox's programs, built once by sandbox/build.sh into the cache (see docs/sandbox.md). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BerthError, ErrorCode } from '../errors.ts';
import type { Env } from './paths.ts';
import { sandboxSourceDir } from './versions.ts';

export const programs = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'metrics-server',
] as const;

export const buildScript = join(sandboxSourceDir, 'build.sh');

export function missingPrograms(binDir: string): string[] {
  if (!existsSync(join(binDir, '.complete'))) return [...programs];
  return programs.filter((p) => !existsSync(join(binDir, p)));
}

/**
 * Makes sure the programs are in the cache: runs sandbox/build.sh, which returns at once when
 * the cache matches the pinned versions, and builds (many minutes) otherwise.
 */
export async function ensurePrograms(options: {
  binDir: string;
  build: boolean;
  env: Env;
  log: (line: string) => void;
}): Promise<void> {
  const missing = missingPrograms(options.binDir);
  if (!options.build) {
    if (missing.length === 0) return;
    throw new BerthError(
      ErrorCode.sandbox,
      `the sandbox programs are not built (missing in ${options.binDir}: ${missing.join(', ')}); run: bash sandbox/build.sh`,
    );
  }
  const child = spawn('bash', [buildScript], {
    env: { ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
    if (line.startsWith('sandbox build:')) options.log(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0)
    throw new BerthError(
      ErrorCode.sandbox,
      `building the sandbox programs failed (bash sandbox/build.sh exited ${code}):\n${lines.join('\n')}`,
    );
}
