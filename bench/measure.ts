/** Helpers shared by the bench scripts: timing, peak memory, and the BENCH line protocol. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

export interface Figure {
  suite: string;
  metric: string;
  unit: string;
  berth: number;
  peer?: string;
  peerValue?: number;
  target?: string;
}

export function report(figure: Figure): void {
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

/** Runs a command and returns its wall time (ms) and peak RSS (MB), measured by GNU time when present. */
export function measureProcess(
  command: string,
  args: readonly string[],
  options: SpawnSyncOptions = {},
): { ms: number; peakMB: number; status: number | null; stdout: string; stderr: string } {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    ...options,
  });
  const ms = performance.now() - start;
  const stderr = String(result.stderr ?? '');
  const lines = stderr.trimEnd().split('\n');
  const peakKB = Number(lines[lines.length - 1]);
  return {
    ms,
    peakMB: Number.isFinite(peakKB) ? peakKB / 1024 : NaN,
    status: result.status,
    stdout: String(result.stdout ?? ''),
    stderr: lines.slice(0, -1).join('\n'),
  };
}

/** Median of several runs of `fn` (ms). */
export async function medianMs(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** One whole-process measurement: wall and CPU time (user + sys, children included), peak RSS. */
export interface Sample {
  ms: number;
  cpuMs: number;
  peakMB: number;
  status: number | null;
}

export interface Tool {
  name: string;
  command: string;
  args: string[];
}

/** Runs a tool under GNU time (`/usr/bin/time -f '%e %U %S %M'`) in `cwd`. */
export function measureTool(tool: Tool, cwd: string): Sample {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', tool.command, ...tool.args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 << 20,
  });
  const last =
    String(result.stderr ?? '')
      .trimEnd()
      .split('\n')
      .pop() ?? '';
  const [elapsed, user, sys, kb] = last.split(' ').map(Number);
  if (![elapsed, user, sys, kb].every((n) => Number.isFinite(n))) {
    throw new Error(`${tool.name}: could not measure (${String(result.stderr).slice(-500)})`);
  }
  return {
    ms: (elapsed ?? 0) * 1000,
    cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000,
    peakMB: (kb ?? 0) / 1024,
    status: result.status,
  };
}

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Medians of one tool's samples. */
export interface ToolSummary {
  ms: number;
  cpuMs: number;
  peakMB: number;
}

/** Reports berth against one peer on wall time (with the target), CPU time and peak memory. */
export function reportAgainstPeer(options: {
  suite: string;
  label: string;
  berth: ToolSummary;
  peer: string;
  peerSummary: ToolSummary;
  target: string;
}): void {
  const { suite, label, berth, peer, peerSummary, target } = options;
  report({
    suite,
    metric: `wall time, ${label}`,
    unit: 'ms',
    berth: berth.ms,
    peer,
    peerValue: peerSummary.ms,
    target,
  });
  report({
    suite,
    metric: `CPU time, ${label}`,
    unit: 'ms',
    berth: berth.cpuMs,
    peer,
    peerValue: peerSummary.cpuMs,
  });
  report({
    suite,
    metric: `peak memory, ${label}`,
    unit: 'MB',
    berth: berth.peakMB,
    peer,
    peerValue: peerSummary.peakMB,
  });
}
