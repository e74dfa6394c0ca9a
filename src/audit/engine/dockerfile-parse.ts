/**
 * Parses a Dockerfile's text into a `DockerfileModel` with dockerfile-ast. Pure (text in). Kept
 * apart from the model so that audits without Dockerfiles never load the parser.
 */
import { DockerfileParser, type Copy, type Env, type Instruction } from 'dockerfile-ast';
import type {
  DockerIgnoreComment,
  DockerInstruction,
  DockerStage,
  DockerfileModel,
} from './dockerfile-model.ts';

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
