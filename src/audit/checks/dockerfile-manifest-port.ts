import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import { portsOf } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';
import { linkedContainers } from './shared/dockerfile-links.ts';

export const dockerfileManifestPort: Check = {
  id: 'dockerfile-manifest-port',
  severity: 'warning',
  category: 'cross-check',
  inputs: 'both',
  fixable: false,
  summary: "A container's declared ports equal the EXPOSEd ports of its image's Dockerfile.",
  remediation:
    'Declare every EXPOSEd port as a containerPort (and EXPOSE every port the manifest declares).',
  docs: `When the Dockerfile EXPOSEs 8181 and the manifest declares 8080, probes, Services and
NetworkPolicies all point at a port nobody listens on. Linking as for
\`dockerfile-manifest-user\`. Dockerfiles without EXPOSE are not compared. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const { workload, container, dockerfile } of linkedContainers(index)) {
      const exposed = new Set(
        finalImageInstructions(dockerfile)
          .filter((i) => i.keyword === 'EXPOSE')
          .flatMap((i) => i.text.split(/\s+/))
          .map((p) => Number(p.split('/')[0]))
          .filter((n) => Number.isInteger(n) && n > 0),
      );
      if (exposed.size === 0) continue;
      const declared = new Set(
        portsOf(container.container)
          .map((p) => p.containerPort)
          .filter((p): p is number => typeof p === 'number'),
      );
      const notDeclared = [...exposed].filter((p) => !declared.has(p));
      const notExposed = [...declared].filter((p) => !exposed.has(p));
      if (notDeclared.length === 0 && notExposed.length === 0) continue;
      const parts: string[] = [];
      if (notDeclared.length) parts.push(`EXPOSE ${notDeclared.join(', ')} not declared`);
      if (notExposed.length)
        parts.push(`containerPort ${notExposed.join(', ')} not exposed by ${dockerfile.file}`);
      out.push({
        target: workload.target,
        path: [...container.path, 'ports'],
        message: `${containerLabel(workload, container)}: ${parts.join('; ')}`,
      });
    }
    return out;
  },
};
