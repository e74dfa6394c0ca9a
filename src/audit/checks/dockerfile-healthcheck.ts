import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';

export const dockerfileHealthcheck: Check = {
  id: 'dockerfile-healthcheck',
  severity: 'info',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary: 'Images meant for Kubernetes have no HEALTHCHECK (probes do that job).',
  remediation: 'Remove HEALTHCHECK and define liveness and readiness probes in the manifest.',
  docs: `Kubernetes ignores HEALTHCHECK; it only costs a process every interval and misleads readers into
thinking the container is probed. Seed 002 removes it from the K8s images. **Disagreement with
peers:** Checkov (CKV_DOCKER_2) and Trivy (DS-0026) require a HEALTHCHECK, and hadolint offers
DL3057 for it; berth reports the opposite for images that run on Kubernetes. Suppress with
\`# berth:ignore dockerfile-healthcheck <reason>\` for images also run by Docker Compose.
\`HEALTHCHECK NONE\` passes.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      for (const i of finalImageInstructions(d)) {
        if (i.keyword !== 'HEALTHCHECK' || /^\s*NONE\s*$/i.test(i.text)) continue;
        out.push({
          file: d.file,
          line: i.line,
          message: 'HEALTHCHECK is ignored by Kubernetes; use liveness and readiness probes',
        });
      }
    }
    return out;
  },
};
