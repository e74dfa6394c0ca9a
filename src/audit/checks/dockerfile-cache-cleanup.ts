import { finalImageInstructions, type DockerInstruction } from '../engine/dockerfile-model.ts';
import type { Check, RawFinding } from '../engine/types.ts';

function envSet(instructions: readonly DockerInstruction[], before: number, name: string): boolean {
  return instructions.some(
    (i) =>
      i.line < before &&
      (i.env ?? []).some(
        (e) =>
          e.name === name && e.value !== '' && e.value !== '0' && e.value.toLowerCase() !== 'false',
      ),
  );
}

/** The cache problems of one RUN: pip, uv and apt-get, each with its own cleanups. */
export function cacheProblems(
  run: DockerInstruction,
  instructions: readonly DockerInstruction[],
): string[] {
  const text = run.text;
  const mountsCache = (run.flags.mount ?? '').includes('type=cache');
  if (mountsCache) return [];
  const commands = text.split(/&&|;|\|\|/).map((c) => c.trim());
  const problems: string[] = [];
  const pip = commands.some(
    (c) => /^(python3?\s+-m\s+)?pip3?\s+install\b/.test(c) && !/--no-cache-dir\b/.test(c),
  );
  if (
    pip &&
    !envSet(instructions, run.line, 'PIP_NO_CACHE_DIR') &&
    !/rm\s+-rf?\s+[^&;]*(\.cache\/pip|\.cache\b)/.test(text)
  ) {
    problems.push('pip install keeps its cache (add --no-cache-dir or PIP_NO_CACHE_DIR=1)');
  }
  const uv = commands.some(
    (c) => /^uv\s+(pip\s+install|sync|add)\b/.test(c) && !/--no-cache\b/.test(c),
  );
  if (
    uv &&
    !envSet(instructions, run.line, 'UV_NO_CACHE') &&
    !/rm\s+-rf?\s+[^&;]*(\.cache\/uv|\.cache\b)/.test(text) &&
    !/uv\s+cache\s+clean/.test(text)
  ) {
    problems.push(
      'uv keeps its cache (add --no-cache, UV_NO_CACHE=1, or rm -rf ~/.cache/uv in the same RUN)',
    );
  }
  const apt = commands.some((c) => /^apt(-get)?\s+(-\S+\s+)*install\b/.test(c));
  if (apt && !/rm\s+-rf?\s+[^&;]*\/var\/lib\/apt\/lists/.test(text)) {
    problems.push(
      'apt-get install leaves /var/lib/apt/lists (add rm -rf /var/lib/apt/lists/* in the same RUN)',
    );
  }
  return problems;
}

export const dockerfileCacheCleanup: Check = {
  id: 'dockerfile-cache-cleanup',
  severity: 'warning',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary: 'RUN steps of the final image leave no pip, uv or apt cache behind.',
  remediation:
    'Use pip --no-cache-dir, uv --no-cache (or UV_NO_CACHE=1), and rm -rf /var/lib/apt/lists/* in the same RUN, or a cache mount.',
  docs: `Package caches in a layer are shipped to every node on every pull: seed 002 measured ~10% of the
image. hadolint's DL3042 knows pip only; berth also knows uv (\`--no-cache\`, \`UV_NO_CACHE\`,
\`uv cache clean\`, \`rm -rf ~/.cache/uv\`) and apt lists. A \`--mount=type=cache\` RUN passes.
Build stages whose files are not copied wholesale into the final image are not checked. Not
fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const instructions = finalImageInstructions(d);
      for (const run of instructions.filter((i) => i.keyword === 'RUN')) {
        for (const problem of cacheProblems(run, instructions))
          out.push({ file: d.file, line: run.line, message: problem });
      }
    }
    return out;
  },
};
