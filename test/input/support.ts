/** Shared by the input tests: the fixtures, and the reference renderings by helm and kubectl. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { findHelm, findKustomize } from '../../src/input/index.ts';
import { sandboxVersions } from '../../src/sandbox/versions.ts';

export const root = join(import.meta.dirname, '..', '..');
export const fixtures = join(import.meta.dirname, 'fixtures');
export const mixed = join(fixtures, 'mixed');
export const chart = join(mixed, 'chart');
export const overlay = join(mixed, 'kustomize', 'overlays', 'prod');

export function helm(): string {
  const found = findHelm(process.env);
  if (!found)
    throw new Error('helm not found: run scripts/setup.sh (builds ~/.cache/berth/tools/bin/helm)');
  return found;
}

const documents = (text: string): unknown[] =>
  jsyaml.loadAll(text).filter((d) => d !== null && d !== undefined);

/** What `helm template` prints for the fixture chart, as objects. */
export function helmTemplate(args: string[] = [], release = 'web'): unknown[] {
  const kube = ['--kube-version', sandboxVersions().kubernetes];
  const out = execFileSync(helm(), ['template', release, chart, '--skip-tests', ...kube, ...args], {
    encoding: 'utf8',
  });
  return documents(out);
}

/** What `kubectl kustomize` (or `kustomize build`) prints for a folder, as objects. */
export function kustomizeBuild(dir: string): unknown[] {
  const tool = findKustomize(process.env);
  if (!tool) throw new Error('kubectl not found: run scripts/setup.sh (sandbox build)');
  return documents(execFileSync(tool.program, [...tool.args, dir], { encoding: 'utf8' }));
}

/** An environment in which neither helm nor kubectl can be found. */
export const bareEnv = (home: string): Record<string, string> => ({ HOME: home, PATH: '' });
