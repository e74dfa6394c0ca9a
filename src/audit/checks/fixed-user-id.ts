import { finalImageInstructions, imageRepository } from '../engine/dockerfile-model.ts';
import { effective, runningContainers } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { dockerfileUser } from './shared/dockerfile-user-ids.ts';
import { nameOf, podSecurityPath, set } from './shared/describe.ts';

export const fixedUserId: Check = {
  id: 'fixed-user-id',
  severity: 'warning',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary:
    'Pods pin a numeric runAsUser and runAsGroup (berth accepts 1001; peers ask for > 10000).',
  remediation:
    'Set spec.securityContext.runAsUser and runAsGroup to the numeric UID/GID the image was built for.',
  docs: `Without a fixed UID the kubelet cannot verify \`runAsNonRoot\` for images whose USER is a name, and
file ownership in volumes (\`fsGroup\`) becomes guesswork. **Disagreement with peers:** kube-score,
Checkov and Trivy demand a UID above 10000; berth accepts any non-zero UID, such as the 1001 of
seed 002's images, because the UID must match the image and the risk they guard against (a UID
colliding with a host user) is addressed by user namespaces, not by a large number. The fix is
offered only when a linked Dockerfile (see "Dockerfile ↔ manifest") declares a numeric USER: the
UID is then known, not guessed.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const bad = runningContainers(w).filter((c) => {
        const uid = effective(w, c, 'runAsUser');
        const gid = effective(w, c, 'runAsGroup');
        return typeof uid !== 'number' || typeof gid !== 'number';
      });
      if (bad.length === 0) continue;
      const finding: RawFinding = {
        target: w.target,
        path: podSecurityPath(w),
        message: `${nameOf(w.target)}: containers ${bad.map((c) => `"${c.name}"`).join(', ')} have no fixed runAsUser/runAsGroup`,
      };
      const uids = new Set<string>();
      for (const c of bad) {
        const dockerfiles =
          index.dockerfilesByRepository.get(imageRepository(c.container.image ?? '')) ?? [];
        for (const d of dockerfiles) {
          const user = dockerfileUser(finalImageInstructions(d));
          if (user?.uid !== undefined) uids.add(`${user.uid}:${user.gid ?? user.uid}`);
        }
      }
      const only = uids.size === 1 ? [...uids][0] : undefined;
      if (only !== undefined && bad.length === runningContainers(w).length) {
        const [uid, gid] = only.split(':').map(Number);
        finding.fix = {
          kind: 'object',
          description: `set runAsUser ${uid} and runAsGroup ${gid} from the linked Dockerfile`,
          ops: [
            set(podSecurityPath(w, 'runAsUser'), uid),
            set(podSecurityPath(w, 'runAsGroup'), gid),
          ],
        };
      } else {
        finding.unfixableReason =
          'the image UID is unknown (link its Dockerfile with "# berth:image <repository>")';
      }
      out.push(finding);
    }
    return out;
  },
};
