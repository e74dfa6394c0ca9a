import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';

/** `latest`, or a floating tag such as `k8s-latest` or `latest-alpine`. */
export function isFloatingTag(image: string): { floating: boolean; tag?: string } {
  if (image.includes('@sha256:')) return { floating: false };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return { floating: true };
  const tag = image.slice(colon + 1);
  return { floating: /(^|[-_.])latest($|[-_.])/i.test(tag), tag };
}

export const imageTag: Check = {
  id: 'image-tag',
  severity: 'error',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary:
    'Images are pinned: a version tag or a digest, never latest, a floating *-latest tag or no tag.',
  remediation: 'Pin the image to an immutable version tag or a digest (image@sha256:...).',
  docs: `A missing tag means \`latest\`; \`latest\` and floating tags such as seed 002's \`k8s-latest\` change
under a running Deployment, so a rescheduled pod runs different code and a rollback rolls back
nothing. A registry port (\`registry:5000/app\`) is not a tag. Not fixed automatically: berth
cannot know which version you tested.

**Pull policy (disagreement with peers).** Polaris, kube-score and Checkov require
\`imagePullPolicy: Always\`. berth does not: with a pinned tag or digest, \`IfNotPresent\` is correct
and avoids a registry round-trip on every start; \`Always\` only papers over mutable tags, which
this check rejects at the source.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const image = typeof c.container.image === 'string' ? c.container.image : '';
        const { floating, tag } = isFloatingTag(image);
        if (!floating) continue;
        out.push({
          target: w.target,
          path: [...c.path, 'image'],
          message: `${containerLabel(w, c)} uses ${tag === undefined ? 'an untagged image' : `the floating tag "${tag}"`} (${image})`,
        });
      }
    }
    return out;
  },
};
