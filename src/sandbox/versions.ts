/** The single version pin of the sandbox: sandbox/versions.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError, ErrorCode } from '../errors.ts';

export interface SandboxVersions {
  kubernetes: string;
  kwok: string;
  etcd: string;
}

/** The repository's `sandbox/` folder (scripts, manifests, kwok stages, build go.mod). */
export const sandboxSourceDir = join(import.meta.dirname, '..', '..', 'sandbox');

let cached: SandboxVersions | undefined;

export function sandboxVersions(): SandboxVersions {
  if (cached) return cached;
  const file = join(sandboxSourceDir, 'versions.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxVersions>;
  const { kubernetes, kwok, etcd } = parsed;
  if (!kubernetes || !kwok || !etcd)
    throw new BerthError(
      ErrorCode.sandbox,
      `${file}: must name kubernetes, kwok and etcd versions`,
    );
  cached = { kubernetes, kwok, etcd };
  return cached;
}
