/**
 * What `berth apply` takes, read by the shared input loader (src/input) so apply sees exactly the
 * objects `berth audit` sees: a berth spec (file or folder; rendered on the fly), rendered
 * manifests (files, folders, `-` for stdin; any kinds, multi-document YAML), a Helm chart or a
 * kustomization folder. Every file is parsed once (the spec path included).
 */
import { InvalidInputError, type Diagnostic } from '../errors.ts';
import { loadInputs, type ChartOptions } from '../input/index.ts';
import type { KubeObject } from '../model/object.ts';
import { checkObjects } from './plan/index.ts';

export const InputKind = { spec: 'spec', manifests: 'manifests' } as const;
export type InputKind = (typeof InputKind)[keyof typeof InputKind];

export interface ApplyInput {
  kind: InputKind;
  objects: KubeObject[];
  /** The path given (or `-`). */
  source: string;
}

export interface ApplyInputOptions {
  /** Where relative paths (values files) resolve. @default process.cwd() */
  cwd?: string;
  /** For finding helm and kubectl. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** `helm template` pass-through for a chart. @default none */
  chart?: ChartOptions;
}

/** Loads and checks the input; throws InvalidInputError with every problem at once. */
export async function loadApplyInput(
  path: string,
  readStdin: () => Promise<string>,
  options: ApplyInputOptions = {},
): Promise<ApplyInput> {
  const loaded = await loadInputs([path], {
    cwd: options.cwd ?? process.cwd(),
    readStdin,
    env: options.env ?? process.env,
    ...(options.chart ? { chart: options.chart } : {}),
  });
  const diagnostics: Diagnostic[] = [
    ...loaded.errors.map((e) => ({ message: e.message, ...(e.hint ? { hint: e.hint } : {}) })),
    ...loaded.problems.map((p) => ({
      position: { file: p.file, line: p.line, column: p.column },
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
    })),
    ...loaded.incomplete.map((d) => ({
      message: `${d.file}: document ${d.documentIndex + 1}: missing ${d.missing.join(', ')}`,
      hint: 'every Kubernetes object needs apiVersion, kind and metadata.name',
    })),
  ];
  if (diagnostics.length) throw new InvalidInputError(diagnostics);
  if (path === '-' && loaded.specObjects > 0)
    throw new InvalidInputError([
      {
        message: '<stdin>: a berth spec must be given as a file or folder, not on stdin',
        hint: 'pipe `berth render` output instead',
      },
    ]);
  const objects = loaded.objects.map((o) => o.object);
  const problems = checkObjects(objects, path === '-' ? '<stdin>' : path);
  if (objects.length === 0) problems.push({ message: `${path}: no Kubernetes objects found` });
  if (problems.length) throw new InvalidInputError(problems);
  const kind = loaded.specObjects > 0 ? InputKind.spec : InputKind.manifests;
  return { kind, objects, source: path };
}
