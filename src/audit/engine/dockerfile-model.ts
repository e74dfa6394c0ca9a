/**
 * A Dockerfile as plain data for the Dockerfile checks: stages with their instructions (1-based
 * lines, flags, exec-form arrays, ENV pairs), the `# berth:` comments that link it to an image and
 * suppress checks, and the patterns of the `.dockerignore` next to it. Parsing is in
 * `dockerfile-parse.ts`, loaded only when an audit has Dockerfiles (the parser is most of the
 * audit's code by size).
 */

export interface DockerInstruction {
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  /** The arguments as one string, continuation lines joined. */
  text: string;
  /** `--chown=1001:1001` → `{chown: '1001:1001'}` (COPY, ADD, RUN, HEALTHCHECK). */
  flags: Record<string, string>;
  /** The array of an exec-form CMD/ENTRYPOINT/RUN, absent for shell form. */
  exec?: string[];
  /** ENV and ARG name/value pairs. */
  env?: { name: string; value: string }[];
}

export interface DockerStage {
  index: number;
  /** `AS <name>`, lower-cased. */
  name?: string;
  /** The FROM image as written (`python:3.12-slim`, or an earlier stage's name). */
  from: string;
  line: number;
  instructions: DockerInstruction[];
}

export interface DockerIgnoreComment {
  check: string;
  reason: string;
  /** The instruction line it applies to; absent for `# berth:ignore-file`. */
  line?: number;
  commentLine: number;
}

export interface DockerfileModel {
  file: string;
  stages: DockerStage[];
  /** Image repositories this Dockerfile builds, from `# berth:image <repository>` or the config. */
  images: string[];
  ignores: DockerIgnoreComment[];
  /** Problems with the berth comments themselves (an ignore without a reason). */
  commentProblems: { line: number; message: string }[];
  /** Patterns of the sibling `.dockerignore`, or null when there is none. */
  dockerignore: string[] | null;
}

/** The stage that produces the image: the last one. */
export function finalStage(model: DockerfileModel): DockerStage | undefined {
  return model.stages[model.stages.length - 1];
}

/**
 * The instructions that shape the final image, in order: those of the stages it is built FROM
 * (when it starts from an earlier stage), then its own. USER, ENV and WORKDIR are inherited
 * that way; instructions of unrelated build stages are not.
 */
export function finalImageInstructions(model: DockerfileModel): DockerInstruction[] {
  const chain: DockerStage[] = [];
  let stage = finalStage(model);
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    chain.unshift(stage);
    const parentName = stage.from.toLowerCase();
    stage = model.stages.find((s) => s.name === parentName && s.index < (stage?.index ?? 0));
  }
  return chain.flatMap((s) => s.instructions);
}

/** The repository part of an image reference: `reg:5000/a/b:tag@sha` → `reg:5000/a/b`. */
export function imageRepository(image: string): string {
  if (typeof image !== 'string') return '';
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
