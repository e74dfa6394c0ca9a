import { finalImageInstructions, finalStage } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { dockerfileUser } from './shared/dockerfile-user-ids.ts';

export const dockerfileUserCheck: Check = {
  id: 'dockerfile-user',
  severity: 'error',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary:
    'The final image runs as a non-root, numeric USER (multi-stage aware; no USER means root).',
  remediation:
    'End the final stage with USER <uid>:<gid> (numeric, not 0), for example USER 1001:1001.',
  docs: `Only the final stage matters — and the stages it is built FROM, whose USER it inherits — so a
builder stage running as root is fine (hadolint's DL3002 flags it, a known false positive) and a
final stage without USER is root even when an earlier unrelated stage switched user (which
DL3002 misses). A named user (\`USER appuser\`) is reported as a warning: the kubelet cannot
verify \`runAsNonRoot\` for a name unless the manifest sets \`runAsUser\`; the message gives the
UID when a \`useradd -u\` line defines it. Not fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const stage = finalStage(d);
      if (!stage) {
        out.push({ file: d.file, line: 1, message: `${d.file} has no FROM instruction` });
        continue;
      }
      const user = dockerfileUser(finalImageInstructions(d));
      if (!user) {
        out.push({
          file: d.file,
          line: stage.line,
          message: `the final stage (FROM ${stage.from}) sets no USER, so the image runs as root`,
        });
        continue;
      }
      if (user.uid === 0 || user.name === 'root') {
        out.push({
          file: d.file,
          line: user.line,
          message: `the final image runs as root (USER ${user.raw})`,
        });
        continue;
      }
      if (user.name !== undefined) {
        const hint =
          user.uid !== undefined
            ? `; use USER ${user.uid}${user.gid !== undefined ? `:${user.gid}` : ''}`
            : '';
        out.push({
          file: d.file,
          line: user.line,
          severity: 'warning',
          message: `USER ${user.raw} is a name: the kubelet cannot verify runAsNonRoot for it${hint}`,
        });
      }
    }
    return out;
  },
};
