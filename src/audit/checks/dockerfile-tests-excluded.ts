import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';

const testPath = /(^|\/)(tests?|__tests__|spec)(\/|$)/;

export const dockerfileTestsExcluded: Check = {
  id: 'dockerfile-tests-excluded',
  severity: 'info',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary:
    'The final image does not ship tests: no COPY of a tests folder, and a whole-context COPY is covered by a .dockerignore excluding them.',
  remediation:
    'Copy only the application folders, or add tests/ to .dockerignore next to the Dockerfile.',
  docs: `Tests in a production image add size and attack surface (fixtures, credentials for test
services). Seed 002's K8s images are "production-only". \`COPY . .\` passes when the sibling
\`.dockerignore\` has a pattern for tests. Not fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const ignoresTests = (d.dockerignore ?? []).some((p) => /(^|\/|\*)tests?\b/.test(p));
      for (const i of finalImageInstructions(d)) {
        if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
        if (i.flags.from !== undefined) continue;
        const words = i.text.split(/\s+/).filter((w) => w !== '' && !w.startsWith('--'));
        const sources = words.slice(0, -1);
        if (sources.some((s) => testPath.test(s.replace(/^\.\//, '')))) {
          out.push({
            file: d.file,
            line: i.line,
            message: `${i.keyword} copies tests into the final image (${sources.join(' ')})`,
          });
        } else if (sources.some((s) => s === '.' || s === './') && !ignoresTests) {
          out.push({
            file: d.file,
            line: i.line,
            message: `${i.keyword} copies the whole build context, and ${d.dockerignore === null ? 'there is no .dockerignore' : '.dockerignore does not exclude tests'}`,
          });
        }
      }
    }
    return out;
  },
};
