/**
 * The few real failures berth knows. Each has a stable `code`, an optional `cause`, and a message
 * that names the file and line or the object, and says what to do. Findings (audit) and
 * diagnostics (validation) are data, not errors: see `Diagnostic`.
 */

/** A position in a user's file. Lines and columns are 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One problem with the user's input, reported with all the others at once. */
export interface Diagnostic {
  /** Where it is; absent when the problem has no single place (for example an empty folder). */
  position?: SourcePosition;
  /** Dotted field path inside the document, such as `spec.agents[2].storage.size`. */
  path?: string;
  message: string;
  hint?: string;
}

export const ErrorCode = {
  invalidInput: 'invalid-input',
  usage: 'usage',
  cluster: 'cluster',
  sandbox: 'sandbox',
  timeout: 'timeout',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class BerthError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BerthError';
    this.code = code;
  }
}

/** The user's input is wrong: carries every diagnostic found, not just the first. */
export class InvalidInputError extends BerthError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], options?: { cause?: unknown }) {
    super(ErrorCode.invalidInput, formatDiagnostics(diagnostics), options);
    this.name = 'InvalidInputError';
    this.diagnostics = diagnostics;
  }
}

/** The command line itself is wrong (unknown flag, missing argument). */
export class UsageError extends BerthError {
  constructor(message: string) {
    super(ErrorCode.usage, message);
    this.name = 'UsageError';
  }
}

/** `file:line:column: path: message (hint: ...)`, one line per diagnostic. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.column}: ` : '';
  const path = d.path ? `${d.path}: ` : '';
  const hint = d.hint ? ` (hint: ${d.hint})` : '';
  return `${where}${path}${d.message}${hint}`;
}

export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map(formatDiagnostic).join('\n');
}
