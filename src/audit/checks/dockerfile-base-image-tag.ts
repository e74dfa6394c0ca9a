import type { Check, RawFinding } from '../engine/types.ts';
import { isFloatingTag } from './image-tag.ts';

export const dockerfileBaseImageTag: Check = {
  id: 'dockerfile-base-image-tag',
  severity: 'warning',
  category: 'dockerfile',
  inputs: 'dockerfile',
  fixable: false,
  summary:
    'FROM images are pinned to a version tag or digest (earlier stages and scratch excepted).',
  remediation: 'Pin the base image, for example FROM python:3.12-slim or FROM image@sha256:...',
  docs: `An unpinned base image makes two builds of the same commit differ (hadolint DL3006/DL3007).
References to earlier stages, \`scratch\` and images given through build ARGs are skipped. Not
fixed automatically.`,
  run({ dockerfiles }) {
    const out: RawFinding[] = [];
    for (const d of dockerfiles) {
      const earlier = new Set<string>(); // stage names defined above (linear in the stage count)
      for (const stage of d.stages) {
        const from = stage.from;
        const known = earlier.has(from.toLowerCase());
        if (stage.name) earlier.add(stage.name);
        if (from === '' || from.includes('$') || from === 'scratch' || known) continue;
        const { floating, tag } = isFloatingTag(from);
        if (floating)
          out.push({
            file: d.file,
            line: stage.line,
            message: `FROM ${from} is ${tag === undefined ? 'untagged' : `the floating tag "${tag}"`}`,
          });
      }
    }
    return out;
  },
};
