import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { linkedContainers } from './shared/dockerfile-links.ts';
import { containerLabel } from './shared/describe.ts';

/** Variables whose value the image's build depends on: overriding them breaks what was installed. */
export const bakedVariables = [
  'PLAYWRIGHT_BROWSERS_PATH',
  'PIP_TARGET',
  'PYTHONPATH',
  'VIRTUAL_ENV',
  'NODE_PATH',
];

export const dockerfileManifestEnv: Check = {
  id: 'dockerfile-manifest-env',
  severity: 'error',
  category: 'cross-check',
  inputs: 'both',
  fixable: false,
  summary:
    'A container does not override, with another value, a path variable its image was built with (PLAYWRIGHT_BROWSERS_PATH and the like).',
  remediation:
    'Set the variable in the manifest to the value the Dockerfile builds with, or drop it from the manifest.',
  docs: `Seed 001 asks to add \`PLAYWRIGHT_BROWSERS_PATH: /app/ms-playwright\` to the Deployment; seed 001's
Docker Compose image installs the browsers under \`/tmp/ms-playwright\`. A manifest value that
differs from the one the image was built with points Playwright at an empty folder: "Executable
doesn't exist" at the first crawl. Checked for PLAYWRIGHT_BROWSERS_PATH, PIP_TARGET, PYTHONPATH,
VIRTUAL_ENV and NODE_PATH, between a container's literal \`env\` and the ENV of its linked
Dockerfile's final image (linking as for \`dockerfile-manifest-user\`). Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const { workload, container, dockerfile } of linkedContainers(index)) {
      const baked = new Map<string, string>();
      for (const i of finalImageInstructions(dockerfile))
        for (const e of i.env ?? []) baked.set(e.name, e.value);
      const env = Array.isArray(container.container.env) ? container.container.env : [];
      env.forEach((e, i) => {
        const name = typeof e?.name === 'string' ? e.name : '';
        if (!bakedVariables.includes(name) || typeof e?.value !== 'string') return;
        const built = baked.get(name);
        if (built === undefined || built === e.value) return;
        out.push({
          target: workload.target,
          path: [...container.path, 'env', i, 'value'],
          message: `${containerLabel(workload, container)} sets ${name}=${e.value}, but ${dockerfile.file} builds the image with ${name}=${built}`,
        });
      });
    }
    return out;
  },
};
