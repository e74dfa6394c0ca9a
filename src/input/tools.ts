/**
 * Finding the programs that render charts and kustomizations. Helm: `$BERTH_HELM`, else `helm` on
 * PATH, else `~/.cache/berth/tools/bin/helm` (built by scripts/setup.sh). Kustomize: `$BERTH_KUBECTL`,
 * else the sandbox's pinned kubectl (`~/.cache/berth/sandbox/<version>/bin/kubectl`), else
 * `kubectl` or `kustomize` on PATH, else `~/.cache/berth/tools/bin/kustomize`.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheRoot } from '../sandbox/paths.ts';
import { sandboxVersions } from '../sandbox/versions.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The Helm release scripts/setup.sh builds (a test keeps the two in step). */
export const helmVersion = 'v3.22.0';
export const helmInstallHint = `install Helm: go install helm.sh/helm/v3/cmd/helm@${helmVersion} (or scripts/setup.sh, which puts it in ~/.cache/berth/tools/bin; or your package manager: brew install helm, snap install helm --classic)`;
export const kustomizeInstallHint =
  'install kubectl (kubectl kustomize): scripts/setup.sh builds it into ~/.cache/berth/sandbox/<version>/bin; or go install sigs.k8s.io/kustomize/kustomize/v5@latest; or set BERTH_KUBECTL';

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** `${XDG_CACHE_HOME:-~/.cache}/berth/tools/bin`, where scripts/setup.sh puts Helm. */
export function toolsBin(env: Env): string | undefined {
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return base ? join(base, 'berth', 'tools', 'bin') : undefined;
}

export function findHelm(env: Env): string | undefined {
  if (env.BERTH_HELM) return isExecutable(env.BERTH_HELM) ? env.BERTH_HELM : undefined;
  const bin = toolsBin(env);
  return (
    onPath('helm', env) ?? (bin && isExecutable(join(bin, 'helm')) ? join(bin, 'helm') : undefined)
  );
}

/** The command that builds a kustomization folder: program and the arguments before the folder. */
export interface KustomizeCommand {
  program: string;
  args: string[];
}

export function findKustomize(env: Env): KustomizeCommand | undefined {
  const kubectl = (program: string): KustomizeCommand => ({ program, args: ['kustomize'] });
  if (env.BERTH_KUBECTL)
    return isExecutable(env.BERTH_KUBECTL) ? kubectl(env.BERTH_KUBECTL) : undefined;
  let sandboxKubectl: string | undefined;
  try {
    sandboxKubectl = join(cacheRoot(env), sandboxVersions().kubernetes, 'bin', 'kubectl');
  } catch {
    sandboxKubectl = undefined; // no HOME: no cache folder to look in
  }
  if (sandboxKubectl && isExecutable(sandboxKubectl)) return kubectl(sandboxKubectl);
  const onPathKubectl = onPath('kubectl', env);
  if (onPathKubectl) return kubectl(onPathKubectl);
  const bin = toolsBin(env);
  const kustomize =
    onPath('kustomize', env) ??
    (bin && isExecutable(join(bin, 'kustomize')) ? join(bin, 'kustomize') : undefined);
  return kustomize ? { program: kustomize, args: ['build'] } : undefined;
}
