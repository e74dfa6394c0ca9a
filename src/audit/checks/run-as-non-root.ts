import { finalImageInstructions, imageRepository } from '../engine/dockerfile-model.ts';
import type { AuditIndex } from '../engine/index-objects.ts';
import {
  containerSecurity,
  effective,
  podSecurity,
  runningContainers,
  type ContainerRef,
  type Workload,
} from '../engine/pods.ts';
import type { Check, FixOp, RawFinding } from '../engine/types.ts';
import { nameOf, podSecurityPath, set } from './shared/describe.ts';
import { dockerfileUser } from './shared/dockerfile-user-ids.ts';

/** The UID the fix writes when no linked Dockerfile names one: berth's convention (ADR 0011). */
export const defaultUid = 1001;

/**
 * runAsNonRoot alone makes the kubelet refuse every image whose USER is root or a name: the fix
 * also pins a numeric UID where no container has one — the linked Dockerfile's numeric USER, else
 * the documented default, with a comment saying so.
 */
function uidOps(
  index: AuditIndex,
  w: Workload,
  bad: readonly ContainerRef[],
): { ops: FixOp[]; value: number } {
  const uids = new Set<number>();
  for (const c of bad) {
    const repo = imageRepository(typeof c.container.image === 'string' ? c.container.image : '');
    for (const d of index.dockerfilesByRepository.get(repo) ?? []) {
      const uid = dockerfileUser(finalImageInstructions(d))?.uid;
      if (uid !== undefined && uid !== 0) uids.add(uid);
    }
  }
  const [linked] = uids.size === 1 ? [...uids] : [];
  const value = linked ?? defaultUid;
  const pod = podSecurity(w).runAsUser;
  const pinned = bad.every((c) => {
    const uid = effective(w, c, 'runAsUser');
    return typeof uid === 'number' && uid !== 0;
  });
  if (pinned && pod !== 0) return { ops: [], value };
  const ops: FixOp[] = [
    {
      op: 'set',
      path: podSecurityPath(w, 'runAsUser'),
      value,
      comment:
        linked !== undefined
          ? 'the USER of the linked Dockerfile (berth audit --fix)'
          : `berth audit --fix: a non-root UID so runAsNonRoot admits the image; use the image's own USER`,
    },
  ];
  return { ops, value };
}

export const runAsNonRoot: Check = {
  id: 'run-as-non-root',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Every container runs with runAsNonRoot: true and no runAsUser: 0.',
  remediation:
    'Set securityContext.runAsNonRoot: true on the pod (and a non-zero runAsUser where the image has no numeric USER).',
  docs: `A container that may run as root turns any escape into root on the node. The check reads the
effective value (container, else pod) for init and app containers. The fix sets
\`spec.securityContext.runAsNonRoot: true\` on the pod and, where no container has a numeric
\`runAsUser\`, pins one: the numeric USER of the linked Dockerfile, else ${defaultUid} with a comment
on the line saying berth chose it — \`runAsNonRoot\` alone makes the kubelet refuse to start every
image that runs as root or as a named user (nginx, busybox: "container has runAsNonRoot and image
will run as root"). Explicit
\`runAsNonRoot: false\` and \`runAsUser: 0\` are fixed too (one rule for explicit values, docs/audit.md);
a decision to run as root is kept with a suppression that says why.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const bad = runningContainers(w).filter(
        (c) => effective(w, c, 'runAsNonRoot') !== true || effective(w, c, 'runAsUser') === 0,
      );
      if (bad.length === 0) continue;
      const finding: RawFinding = {
        target: w.target,
        path: podSecurityPath(w),
        message: `${nameOf(w.target)}: containers ${bad.map((c) => `"${c.name}"`).join(', ')} may run as root`,
      };
      // Explicit values (runAsNonRoot: false, runAsUser: 0) are fixed like absent ones; a
      // suppression with a reason is how a decision to run as root is kept.
      const uid = uidOps(index, w, bad);
      const overrides: FixOp[] = [];
      for (const c of bad) {
        const own = containerSecurity(c);
        if (own.runAsNonRoot === false)
          overrides.push(set([...c.path, 'securityContext', 'runAsNonRoot'], true));
        if (own.runAsUser === 0)
          overrides.push(set([...c.path, 'securityContext', 'runAsUser'], uid.value));
      }
      finding.fix = {
        kind: 'object',
        description: 'set runAsNonRoot: true (and a numeric runAsUser) on the pod',
        ops: [set(podSecurityPath(w, 'runAsNonRoot'), true), ...uid.ops, ...overrides],
      };
      out.push(finding);
    }
    return out;
  },
};
