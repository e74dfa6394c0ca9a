/** Runs a renderer (helm, kubectl kustomize) with a deadline and collects its output. */

export interface ToolResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Set when the deadline passed and the program was stopped. */
  timedOut: boolean;
}

export async function runTool(
  program: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>>; timeoutMs: number },
): Promise<ToolResult> {
  // Loaded on first use: node:child_process brings net, streams and dgram, which an audit of
  // plain files never needs (start-up, ADR 0052).
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs,
        maxBuffer: 512 << 20,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const timedOut = error !== null && error.killed === true;
        resolve({
          ok: error === null,
          stdout,
          stderr: stderr !== '' ? stderr : (error?.message ?? ''),
          timedOut,
        });
      },
    );
  });
}

/** The first lines of a tool's error output, for a one-line message. */
export function firstLines(text: string, count = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, count)
    .join(' / ');
}
