/** The state file of a running sandbox: its ports and the processes it started. */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '../files/atomic.ts';
import type { SandboxPorts } from './components.ts';
import type { ProcessRecord } from './processes.ts';
import type { Component } from './types.ts';

export interface SandboxState {
  name: string;
  kubernetesVersion: string;
  ports: SandboxPorts;
  /** Started processes, in start order. */
  processes: Partial<Record<Component, ProcessRecord>>;
  startedAt: string;
}

export function readState(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as SandboxState;
}

export async function writeState(file: string, state: SandboxState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeState(file: string): Promise<void> {
  await rm(file, { force: true });
}
