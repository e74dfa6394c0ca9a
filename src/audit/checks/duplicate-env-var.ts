import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';

export const duplicateEnvVar: Check = {
  id: 'duplicate-env-var',
  severity: 'error',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: 'No container defines the same environment variable twice.',
  remediation: 'Remove the duplicate env entry; only the last one takes effect.',
  docs: `With duplicates only the last value counts, and a strategic merge patch or a server-side apply
may keep a different one than you read. Not fixed automatically (which value is meant?).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const env = Array.isArray(c.container.env) ? c.container.env : [];
        const seen = new Set<string>();
        env.forEach((e, i) => {
          const name = typeof e?.name === 'string' ? e.name : undefined;
          if (name === undefined) return;
          if (seen.has(name))
            out.push({
              target: w.target,
              path: [...c.path, 'env', i],
              message: `${containerLabel(w, c)} defines ${name} more than once`,
            });
          seen.add(name);
        });
      }
    }
    return out;
  },
};
