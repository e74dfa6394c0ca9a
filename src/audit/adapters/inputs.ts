/**
 * What `berth audit` is given, through the shared input loader (src/input: files, folders, `-`,
 * berth specs, Helm charts, kustomizations), turned into the engine's input: located objects,
 * parsed Dockerfiles (with their .dockerignore) and input problems. A chart or kustomization that
 * cannot be rendered at all (no helm, a chart error) stops the audit with one error each (exit 2).
 */
import { InvalidInputError } from '../../errors.ts';
import { loadInputs, type ChartOptions, type SourceFile } from '../../input/index.ts';
import type { AuditInput, InputProblem } from '../engine/run.ts';
import type { LocatedObject } from '../engine/types.ts';

export interface CollectedInput extends AuditInput {
  /** Editable YAML sources by display path. */
  sources: Map<string, SourceFile>;
  files: number;
  /** Files that could not be parsed (each has one parse-error finding). */
  unparseableFiles: number;
  skippedDocuments: number;
}

export interface CollectOptions {
  cwd: string;
  readStdin: () => Promise<string>;
  /** For finding helm and kubectl. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** `helm template` pass-through for charts in the input. */
  chart?: ChartOptions;
  /** Dockerfile path (as given, relative to cwd) → image repositories, from the config file. */
  dockerfileImages?: ReadonlyMap<string, string[]>;
  /** Absolute path → content to use instead of the file's (a fix plan being checked). */
  overrides?: ReadonlyMap<string, string>;
  /** Largest input file, in bytes; 0 for no limit. @default 64 MiB (src/input/size-cap.ts) */
  maxFileBytes?: number;
}

export async function collectInputs(
  paths: readonly string[],
  options: CollectOptions,
): Promise<CollectedInput> {
  const loaded = await loadInputs(paths, {
    cwd: options.cwd,
    readStdin: options.readStdin,
    env: options.env ?? process.env,
    dockerfiles: true,
    ...(options.chart ? { chart: options.chart } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
  });
  if (loaded.errors.length > 0)
    throw new InvalidInputError(
      loaded.errors.map((e) => ({ message: e.message, ...(e.hint ? { hint: e.hint } : {}) })),
    );
  const objects: LocatedObject[] = loaded.objects.map((o) => {
    const meta = o.object.metadata;
    if (typeof meta.name === 'string' && meta.name !== '') return o;
    // generateName objects are audited under their prefix.
    const name = String(meta.generateName);
    return { ...o, object: { ...o.object, metadata: { ...meta, name } } };
  });
  const problems: InputProblem[] = loaded.problems.map((p) => ({
    check: p.check,
    file: p.file,
    line: p.line,
    // The engine places findings at file:line; the column of a syntax error goes in the message.
    message: p.message.replace(/^YAML syntax error: /, `YAML syntax error at column ${p.column}: `),
  }));
  // The Dockerfile parser is loaded only when there are Dockerfiles (start-up time).
  const parse =
    loaded.dockerfiles.length > 0
      ? (await import('../engine/dockerfile-parse.ts')).parseDockerfile
      : undefined;
  return {
    objects,
    dockerfiles: parse
      ? loaded.dockerfiles.map((d) =>
          parse(d.text, d.display, {
            dockerignore: d.dockerignore,
            images: options.dockerfileImages?.get(d.display) ?? [],
          }),
        )
      : [],
    problems,
    sources: loaded.sources,
    files: loaded.files,
    unparseableFiles: loaded.unparseableFiles,
    skippedDocuments: loaded.skippedDocuments,
  };
}
