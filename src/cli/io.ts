/** What a command may touch of the outside world. Tests pass their own; main.ts passes the process's. */
export interface CliIO {
  /** Write to standard output (text is written as given; add your own newline). */
  out(text: string): void;
  /** Write to standard error. */
  err(text: string): void;
  /** Whether standard output is a terminal (progress and colour only then). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The whole of standard input, for `-` arguments. */
  readStdin(): Promise<string>;
}

/** The exit codes every command keeps to. */
export const ExitCode = {
  ok: 0,
  /** The command ran and found problems (findings, unready objects). */
  problems: 1,
  /** Invalid input or usage. */
  invalid: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
