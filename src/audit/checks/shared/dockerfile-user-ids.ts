/** Resolving a Dockerfile's effective USER to numeric ids, from `USER` and `useradd`/`adduser` lines. */
import type { DockerInstruction } from '../../engine/dockerfile-model.ts';

export interface DockerUser {
  /** As written: `appuser`, `1001`, `1001:1001`. */
  raw: string;
  line: number;
  uid?: number;
  gid?: number;
  name?: string;
}

/** The last USER of the instructions (undefined: the image runs as root), with ids resolved. */
export function dockerfileUser(instructions: readonly DockerInstruction[]): DockerUser | undefined {
  const users = instructions.filter((i) => i.keyword === 'USER');
  const last = users[users.length - 1];
  if (!last) return undefined;
  const raw = last.text.trim();
  const [userPart = '', groupPart] = raw.split(':');
  const user: DockerUser = { raw, line: last.line };
  const known = knownUsers(instructions);
  if (/^\d+$/.test(userPart)) user.uid = Number(userPart);
  else {
    user.name = userPart;
    const found = known.get(userPart);
    if (found?.uid !== undefined) user.uid = found.uid;
    if (found?.gid !== undefined) user.gid = found.gid;
  }
  if (groupPart !== undefined) {
    if (/^\d+$/.test(groupPart)) user.gid = Number(groupPart);
    else user.gid = knownGroups(instructions).get(groupPart) ?? user.gid;
  }
  return user;
}

/** `useradd -u 1001 -g appuser appuser` / `adduser -u 1001 ...` → name → ids. */
export function knownUsers(
  instructions: readonly DockerInstruction[],
): Map<string, { uid?: number; gid?: number }> {
  const groups = knownGroups(instructions);
  const users = new Map<string, { uid?: number; gid?: number }>();
  for (const i of instructions) {
    if (i.keyword !== 'RUN') continue;
    for (const command of i.text.split(/&&|;|\|\|/)) {
      const words = command.trim().split(/\s+/);
      if (words[0] !== 'useradd' && words[0] !== 'adduser') continue;
      let uid: number | undefined;
      let gid: number | undefined;
      let name: string | undefined;
      for (let k = 1; k < words.length; k++) {
        const w = words[k] ?? '';
        const next = words[k + 1] ?? '';
        if (w === '-u' || w === '--uid') {
          uid = Number(next);
          k++;
        } else if (w === '-g' || w === '--gid' || w === '-G' || w === '--ingroup') {
          gid = /^\d+$/.test(next) ? Number(next) : groups.get(next);
          k++;
        } else if (!w.startsWith('-')) name = w;
        else if (
          ['-s', '--shell', '-d', '--home', '--home-dir', '-c', '--comment', '-h'].includes(w)
        )
          k++;
      }
      if (name !== undefined) users.set(name, { uid, gid: gid ?? groups.get(name) });
    }
  }
  return users;
}

export function knownGroups(instructions: readonly DockerInstruction[]): Map<string, number> {
  const groups = new Map<string, number>();
  for (const i of instructions) {
    if (i.keyword !== 'RUN') continue;
    for (const command of i.text.split(/&&|;|\|\|/)) {
      const words = command.trim().split(/\s+/);
      if (words[0] !== 'groupadd' && words[0] !== 'addgroup') continue;
      let gid: number | undefined;
      let name: string | undefined;
      for (let k = 1; k < words.length; k++) {
        const w = words[k] ?? '';
        if (w === '-g' || w === '--gid') {
          gid = Number(words[k + 1]);
          k++;
        } else if (!w.startsWith('-')) name = w;
      }
      if (name !== undefined && gid !== undefined) groups.set(name, gid);
    }
  }
  return groups;
}
