/**
 * What `berth apply` takes: a berth spec (file or folder; rendered on the fly) or rendered
 * manifests (files, folders, or `-` for stdin; any kinds, multi-document YAML).
 */
import { readFile, stat } from 'node:fs/promises';
import { InvalidInputError, type Diagnostic } from '../errors.ts';
import { listFiles } from '../fsutil/walk.ts';
import type { KubeObject } from '../model/object.ts';
import { isSpecDocument } from '../spec/api-version.ts';
import { parseYamlStream, type YamlStream } from '../yaml/stream.ts';
import { checkObjects } from './plan/index.ts';

export const InputKind = { spec: 'spec', manifests: 'manifests' } as const;
export type InputKind = (typeof InputKind)[keyof typeof InputKind];

export interface ApplyInput {
  kind: InputKind;
  objects: KubeObject[];
  /** The path given (or `-`). */
  source: string;
}

/** Loads and checks the input; throws InvalidInputError with every problem at once. */
export async function loadApplyInput(
  path: string,
  readStdin: () => Promise<string>,
): Promise<ApplyInput> {
  const streams =
    path === '-' ? [parseYamlStream(await readStdin(), '<stdin>')] : await readStreams(path);
  const diagnostics: Diagnostic[] = streams.flatMap((s) => s.diagnostics);
  if (diagnostics.length) throw new InvalidInputError(diagnostics);
  const values = streams.flatMap((s) => s.documents.map((d) => d.value)).filter((v) => v !== null);
  if (values.some(isSpecDocument)) {
    if (path === '-')
      throw new InvalidInputError([
        {
          message: '<stdin>: a berth spec must be given as a file or folder, not on stdin',
          hint: 'pipe `berth render` output instead',
        },
      ]);
    // Loaded only for specs: rendered manifests need neither (faster start-up).
    const [{ loadWorkspace }, { renderWorkspace }] = await Promise.all([
      import('../spec/index.ts'),
      import('../render/index.ts'),
    ]);
    const objects = renderWorkspace(await loadWorkspace(path));
    return { kind: InputKind.spec, objects, source: path };
  }
  const objects = values.flatMap(expandLists).filter((v) => !isKustomization(v)) as KubeObject[];
  const problems = checkObjects(objects, path === '-' ? '<stdin>' : path);
  if (objects.length === 0) problems.push({ message: `${path}: no Kubernetes objects found` });
  if (problems.length) throw new InvalidInputError(problems);
  return { kind: InputKind.manifests, objects, source: path };
}

async function readStreams(path: string): Promise<YamlStream[]> {
  const files = await listYamlFiles(path);
  return Promise.all(files.map(async (f) => parseYamlStream(await readFile(f, 'utf8'), f)));
}

/** kustomize's own configuration files in a rendered folder, not Kubernetes objects. */
const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

async function listYamlFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InvalidInputError([{ message: `${path}: no such file or folder` }], { cause: error });
  }
  if (!info.isDirectory()) return [path];
  return listFiles(path, (name) => /\.ya?ml$/.test(name) && !kustomizationFiles.includes(name));
}

/** `kind: List` (what `kubectl get -o yaml` prints) holds its objects in `items`. */
function expandLists(value: unknown): unknown[] {
  const v = value as { kind?: unknown; items?: unknown };
  if (typeof v === 'object' && v.kind === 'List' && Array.isArray(v.items)) return v.items;
  return [value];
}

/** A kustomization.yaml in a rendered folder is kustomize's configuration, not an object. */
function isKustomization(value: unknown): boolean {
  const v = value as { kind?: unknown; apiVersion?: unknown };
  return v.kind === 'Kustomization' && String(v.apiVersion).startsWith('kustomize.config.k8s.io');
}
