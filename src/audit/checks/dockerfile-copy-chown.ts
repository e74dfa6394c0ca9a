import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { dockerfileUser, knownUsers } from './shared/dockerfile-user-ids.ts';

export const dockerfileCopyChown: Check = {
  id: 'dockerfile-copy-chown',
  severity: 'warning',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary: 'COPY/ADD --chown in the final image names the runtime USER.',
  remediation:
    'Make --chown name the same user (by name or UID) as the final USER, or drop it to keep the files read-only.',
  docs: `Files copied with \`--chown\` to another user are not writable by the process, and the error shows
up at run time as EACCES (seed 002's troubleshooting section). A name and its UID (from a
\`useradd -u\` line) count as the same user. COPY without --chown (root-owned, read-only code) is
fine. Not fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const instructions = finalImageInstructions(d);
      const user = dockerfileUser(instructions);
      if (!user || user.uid === 0 || user.name === 'root') continue;
      const users = knownUsers(instructions);
      for (const i of instructions) {
        if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.chown === undefined) continue;
        const owner = i.flags.chown.split(':')[0] ?? '';
        const ownerUid = /^\d+$/.test(owner) ? Number(owner) : users.get(owner)?.uid;
        const same =
          owner === user.name ||
          owner === String(user.uid) ||
          (ownerUid !== undefined && ownerUid === user.uid);
        if (same) continue;
        out.push({
          file: d.file,
          line: i.line,
          message: `${i.keyword} --chown=${i.flags.chown} does not match the runtime USER ${user.raw}`,
        });
      }
    }
    return out;
  },
};
