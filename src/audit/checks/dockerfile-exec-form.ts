import { finalImageInstructions } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';

const shells = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', 'ash', '/bin/ash', 'dash']);

export const dockerfileExecForm: Check = {
  id: 'dockerfile-exec-form',
  severity: 'warning',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary: 'CMD and ENTRYPOINT use exec form, and ["sh","-c",...] wrappers exec the real process.',
  remediation:
    'Use exec form (CMD ["python", "-m", "app"]), or start the shell script with exec so the process receives SIGTERM.',
  docs: `In shell form the shell is PID 1 and does not forward SIGTERM: the process never hears about
shutdown and is SIGKILLed when \`terminationGracePeriodSeconds\` runs out, dropping in-flight
requests on every rollout (seed 002). \`["sh", "-c", "python app.py"]\` has the same problem
— hadolint's DL3025 lets it through — unless the script \`exec\`s the process, as seed 002's
\`CMD ["sh", "-c", "exec python -m uvicorn ..."]\` does. Only the final image's effective CMD and
ENTRYPOINT are checked. Not fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const instructions = finalImageInstructions(d);
      for (const keyword of ['ENTRYPOINT', 'CMD']) {
        const list = instructions.filter((i) => i.keyword === keyword);
        const last = list[list.length - 1];
        if (!last) continue;
        if (!last.exec) {
          out.push({
            file: d.file,
            line: last.line,
            message: `${keyword} is in shell form: the shell is PID 1 and SIGTERM never reaches the process`,
          });
          continue;
        }
        const [first, flag, script] = last.exec;
        if (
          first !== undefined &&
          shells.has(first) &&
          flag === '-c' &&
          script !== undefined &&
          !/^\s*exec\s/.test(script)
        ) {
          out.push({
            file: d.file,
            line: last.line,
            message: `${keyword} runs "${first} -c" without exec: the shell stays PID 1 and swallows SIGTERM`,
          });
        }
      }
    }
    return out;
  },
};
