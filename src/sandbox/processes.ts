/**
 * Starting and stopping the sandbox's long-running processes. Each runs detached in its own
 * process group (so a stop reaches its children too), with stdout and stderr appended to its log
 * file. A pid is only trusted while /proc says that pid still runs the same program, so a reused
 * pid is never killed.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError, ErrorCode } from '../errors.ts';

export interface ProcessSpec {
  /** Program path. */
  command: string;
  args: readonly string[];
  logFile: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

/** A started process as recorded in the sandbox's state file. */
export interface ProcessRecord {
  pid: number;
  /** The program, to recognise the pid later. */
  command: string;
}

/** Starts `spec` detached and returns its record. Its output goes to its log file only. */
export function startProcess(spec: ProcessSpec): ProcessRecord {
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ? { ...spec.env } : process.env,
      cwd: spec.cwd,
    });
    if (child.pid === undefined)
      throw new BerthError(
        ErrorCode.sandbox,
        `could not start ${spec.command} (see ${spec.logFile})`,
      );
    // Reap it if it dies while we run, and never keep our own process alive for it.
    child.on('error', () => undefined);
    child.unref();
    return { pid: child.pid, command: spec.command };
  } finally {
    closeSync(log);
  }
}

function procFile(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether `record.pid` is alive (not a zombie) and still runs `record.command`. */
export function isRunning(record: ProcessRecord): boolean {
  if (!existsSync('/proc/self/stat')) return signalZero(record.pid);
  const stat = procFile(record.pid, 'stat');
  if (stat === undefined) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  // argv[0] is the program; for a script started through its #! line, argv[1] is.
  const argv = (procFile(record.pid, 'cmdline') ?? '').split('\0').slice(0, 2);
  return argv.some((arg) => arg === record.command || basename(arg) === basename(record.command));
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Pids of every process in process group `pgid` (the started process and its children). */
export function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  const members: number[] = [];
  for (const entry of readdirProc()) {
    const stat = procFile(entry, 'stat');
    if (stat === undefined) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields: state, ppid, pgrp, ...
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(entry);
  }
  return members;
}

function readdirProc(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/**
 * Stops a process and its group: SIGTERM, then SIGKILL after `graceMs`, then verifies that no
 * member of the group is left. Returns false when the process was not running.
 */
export async function stopProcess(record: ProcessRecord, graceMs: number): Promise<boolean> {
  const wasRunning = isRunning(record);
  const groupAlive = () => (wasRunning && isRunning(record)) || groupMembers(record.pid).length > 0;
  if (!wasRunning && groupMembers(record.pid).length === 0) return false;
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive() && Date.now() < deadline) await sleep(50);
  if (groupAlive()) {
    signalGroup(record.pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (groupAlive() && Date.now() < killDeadline) await sleep(50);
  }
  if (groupAlive())
    throw new BerthError(
      ErrorCode.sandbox,
      `process ${record.pid} (${basename(record.command)}) is still running after SIGKILL`,
    );
  return wasRunning;
}
