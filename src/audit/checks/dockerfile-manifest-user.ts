import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import { effective } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { dockerfileUser } from './shared/dockerfile-user-ids.ts';
import { containerLabel, securityPath } from './shared/describe.ts';
import { linkedContainers } from './shared/dockerfile-links.ts';

export const dockerfileManifestUser: Check = {
  id: 'dockerfile-manifest-user',
  severity: 'error',
  category: 'cross-check',
  inputs: 'both',
  fixable: false,
  summary: "The runAsUser of a container equals the UID its image's Dockerfile switches to.",
  remediation:
    'Make securityContext.runAsUser equal the numeric USER of the image (or change the Dockerfile).',
  docs: `A manifest that runs the image under another UID than the one its files were chowned to gets
EACCES on every write (seed 001: browsers owned by 1001, process running as someone else); a
named USER with no runAsUser in the manifest fails with "cannot verify user is non-root".
**Linking a Dockerfile to the manifests that run its image:** a comment
\`# berth:image <repository>\` in the Dockerfile (for example
\`# berth:image git.example.com/archon/server\`), or a \`dockerfiles\` entry in
\`.berth-audit.yaml\`; containers whose image has that repository (any tag or digest) are
checked. Not fixed automatically (which side is right?).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const { workload, container, dockerfile } of linkedContainers(index)) {
      const user = dockerfileUser(finalImageInstructions(dockerfile));
      const runAsUser = effective(workload, container, 'runAsUser');
      if (!user) continue; // dockerfile-user reports it
      if (typeof runAsUser === 'number' && user.uid !== undefined && runAsUser !== user.uid) {
        out.push({
          target: workload.target,
          path: securityPath(container, 'runAsUser'),
          message: `${containerLabel(workload, container)} runs as UID ${runAsUser}, but ${dockerfile.file} switches to ${user.raw} (UID ${user.uid})`,
        });
      } else if (runAsUser === undefined && user.name !== undefined) {
        out.push({
          target: workload.target,
          path: securityPath(container),
          message: `${containerLabel(workload, container)} sets no runAsUser and ${dockerfile.file} has USER ${user.raw}, a name the kubelet cannot verify as non-root`,
        });
      }
    }
    return out;
  },
};
