/**
 * Where a sandbox keeps its things. Pure: a function of the environment and the name.
 *
 * - Programs (built once, shared by every sandbox of a Kubernetes version):
 *   `$BERTH_SANDBOX_CACHE` or `${XDG_CACHE_HOME:-~/.cache}/berth/sandbox`, then `<version>/bin/`.
 * - Run folder of one sandbox (certificates, kubeconfigs, etcd data, logs, pids):
 *   `$BERTH_SANDBOX_STATE` or `${XDG_STATE_HOME:-~/.local/state}/berth/sandbox`, then `<name>/`.
 */
import { join } from 'node:path';
import { BerthError, ErrorCode } from '../errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SandboxPaths {
  name: string;
  binDir: string;
  runDir: string;
  pkiDir: string;
  logDir: string;
  etcdDataDir: string;
  /** The admin kubeconfig handed to users and tests. */
  kubeconfig: string;
  stateFile: string;
  lockFile: string;
}

const namePattern = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

export function checkSandboxName(name: string): string {
  if (!namePattern.test(name))
    throw new BerthError(
      ErrorCode.usage,
      `sandbox name "${name}" is not valid: use 1-40 lowercase letters, digits and dashes`,
    );
  return name;
}

function home(env: Env): string {
  const dir = env.HOME;
  if (!dir)
    throw new BerthError(
      ErrorCode.sandbox,
      'HOME is not set: set HOME, or BERTH_SANDBOX_CACHE and BERTH_SANDBOX_STATE',
    );
  return dir;
}

export function cacheRoot(env: Env): string {
  if (env.BERTH_SANDBOX_CACHE) return env.BERTH_SANDBOX_CACHE;
  return join(env.XDG_CACHE_HOME || join(home(env), '.cache'), 'berth', 'sandbox');
}

export function stateRoot(env: Env): string {
  if (env.BERTH_SANDBOX_STATE) return env.BERTH_SANDBOX_STATE;
  return join(env.XDG_STATE_HOME || join(home(env), '.local', 'state'), 'berth', 'sandbox');
}

export function sandboxPaths(options: {
  name: string;
  kubernetesVersion: string;
  env: Env;
}): SandboxPaths {
  const name = checkSandboxName(options.name);
  const runDir = join(stateRoot(options.env), name);
  return {
    name,
    binDir: join(cacheRoot(options.env), options.kubernetesVersion, 'bin'),
    runDir,
    pkiDir: join(runDir, 'pki'),
    logDir: join(runDir, 'logs'),
    etcdDataDir: join(runDir, 'etcd'),
    kubeconfig: join(runDir, 'kubeconfig'),
    stateFile: join(runDir, 'state.json'),
    lockFile: join(runDir, 'lock'),
  };
}
