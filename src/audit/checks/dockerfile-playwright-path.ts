import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { dockerfileUser, knownUsers } from './shared/dockerfile-user-ids.ts';

export const dockerfilePlaywrightPath: Check = {
  id: 'dockerfile-playwright-path',
  severity: 'error',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary:
    'An image that installs Playwright browsers sets PLAYWRIGHT_BROWSERS_PATH first and gives that path to the runtime user.',
  remediation:
    'Set ENV PLAYWRIGHT_BROWSERS_PATH=/app/ms-playwright before "playwright install" and chown -R it to the runtime user (not chmod 777).',
  docs: `By default Playwright installs browsers under the building user's home (\`/root/.cache/ms-playwright\`);
the non-root runtime user then finds no browser — seed 001's production outage. The check wants
\`PLAYWRIGHT_BROWSERS_PATH\` set before \`playwright install\` and the path owned by the runtime
user: a \`chown -R <user> <path>\`, or the install running after \`USER\`. \`chmod -R 777\` (seed
001's Docker Compose variant) is reported: world-writable browser binaries are not ownership.
Not fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const instructions = finalImageInstructions(d);
      const install = instructions.find(
        (i) => i.keyword === 'RUN' && /playwright\s+install\b/.test(i.text),
      );
      if (!install) continue;
      const env = instructions
        .filter((i) => i.line < install.line)
        .flatMap((i) => i.env ?? [])
        .filter((e) => e.name === 'PLAYWRIGHT_BROWSERS_PATH');
      const path = env[env.length - 1]?.value;
      if (path === undefined) {
        out.push({
          file: d.file,
          line: install.line,
          message:
            "playwright install runs without PLAYWRIGHT_BROWSERS_PATH: browsers land in the build user's home",
        });
        continue;
      }
      const user = dockerfileUser(instructions);
      if (!user || user.uid === 0 || user.name === 'root') continue; // dockerfile-user reports it
      const userBefore = instructions.some(
        (i) =>
          i.keyword === 'USER' && i.line < install.line && !/^(root|0)(:|$)/.test(i.text.trim()),
      );
      const sameUser = [...knownUsers(instructions)]
        .filter(([, ids]) => ids.uid !== undefined && ids.uid === user.uid)
        .map(([name]) => name);
      const aliases = [user.name, user.uid, ...sameUser]
        .filter((a) => a !== undefined)
        .map((a) => escape(String(a)))
        .join('|');
      const chowned = instructions.some(
        (i) =>
          i.keyword === 'RUN' &&
          new RegExp(`chown\\s+(-R\\s+)?(${aliases})(:\\S+)?\\s+[^&;]*${escape(path)}`).test(
            i.text,
          ),
      );
      const worldWritable = instructions.find(
        (i) =>
          i.keyword === 'RUN' &&
          new RegExp(`chmod\\s+(-R\\s+)?[0-7]?777\\s+[^&;]*${escape(path)}`).test(i.text),
      );
      if (userBefore || chowned) continue;
      out.push({
        file: d.file,
        line: worldWritable?.line ?? install.line,
        message: worldWritable
          ? `${path} is made world-writable (chmod 777) instead of owned by ${user.raw}`
          : `${path} is not owned by the runtime user ${user.raw} (no chown -R after playwright install)`,
      });
    }
    return out;
  },
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
