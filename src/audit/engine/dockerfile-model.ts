/**
 * A Dockerfile as plain data for the Dockerfile checks: stages with their instructions (1-based
 * lines, flags, exec-form arrays, ENV pairs), the `# berth:` comments that link it to an image and
 * suppress checks, and the patterns of the `.dockerignore` next to it. Parsing is pure (text in).
 */
import { DockerfileParser, type Copy, type Env, type Instruction } from 'dockerfile-ast';

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

const linkComment = /^berth:image[=\s]+(\S+)/;
const ignoreComment = /^berth:ignore(-file)?\s+([a-z0-9-]+)\s*(.*)$/;

/** Parses a Dockerfile's text. Never throws: the parser is error-tolerant. */
export function parseDockerfile(
  text: string,
  file: string,
  options: { dockerignore?: string[] | null; images?: string[] } = {},
): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const stages: DockerStage[] = [];
  let current: DockerStage | undefined;
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue());
      const plain = args.filter((a) => !a.startsWith('--'));
      const asIndex = plain.findIndex((a) => a.toLowerCase() === 'as');
      const name = asIndex >= 0 ? plain[asIndex + 1]?.toLowerCase() : undefined;
      current = { index: stages.length, from: plain[0] ?? '', line, instructions: [] };
      if (name !== undefined) current.name = name;
      stages.push(current);
      continue;
    }
    if (!current) continue; // ARG before the first FROM
    current.instructions.push(toInstruction(instruction, keyword, line));
  }
  const model: DockerfileModel = {
    file,
    stages,
    images: [...(options.images ?? [])],
    ignores: [],
    commentProblems: [],
    dockerignore: options.dockerignore ?? null,
  };
  readComments(dockerfile.getComments(), text, model);
  return model;
}

function toInstruction(instruction: Instruction, keyword: string, line: number): DockerInstruction {
  const text = (instruction.getArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
  const out: DockerInstruction = { keyword, line, text, flags: {} };
  if ('getFlags' in instruction && typeof instruction.getFlags === 'function') {
    for (const flag of (instruction as Copy).getFlags()) {
      out.flags[flag.getName().toLowerCase()] = flag.getValue() ?? '';
    }
  }
  if (keyword === 'CMD' || keyword === 'ENTRYPOINT' || keyword === 'RUN') {
    const exec = parseExecForm(text);
    if (exec) out.exec = exec;
  }
  if (keyword === 'ENV') {
    out.env = (instruction as Env).getProperties().map((p) => ({
      name: p.getName(),
      value: p.getUnescapedValue() ?? '',
    }));
  }
  return out;
}

/** The array of an exec-form instruction (a JSON array of strings), or undefined for shell form. */
function parseExecForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch (error) {
    // Not valid JSON: Docker then runs it in shell form, which is what we report.
    void error;
    return undefined;
  }
}

function readComments(
  comments: ReturnType<ReturnType<typeof DockerfileParser.parse>['getComments']>,
  text: string,
  model: DockerfileModel,
): void {
  const lines = text.split(/\r?\n/);
  for (const comment of comments) {
    const content = comment.getContent().trim();
    const commentLine = comment.getRange().start.line + 1;
    const link = linkComment.exec(content);
    if (link?.[1]) {
      model.images.push(link[1]);
      continue;
    }
    const ignore = ignoreComment.exec(content);
    if (!ignore) continue;
    const [, wholeFile, check = '', reason = ''] = ignore;
    if (reason.trim() === '') {
      model.commentProblems.push({
        line: commentLine,
        message: `berth:ignore ${check} has no reason; write "# berth:ignore ${check} <why>"`,
      });
      continue;
    }
    const entry: DockerIgnoreComment = { check, reason: reason.trim(), commentLine };
    if (!wholeFile) entry.line = nextInstructionLine(lines, commentLine);
    model.ignores.push(entry);
  }
}

/** The first line after `commentLine` that is neither blank nor a comment. */
function nextInstructionLine(lines: readonly string[], commentLine: number): number {
  for (let i = commentLine; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return i + 1;
  }
  return commentLine;
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
