/**
 * The per-object diff of a release and its summary (pure): live object against the server's
 * dry-run answer, noise removed and Secret values masked (ADR 0068).
 */
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { describeRef } from '../../model/object.ts';
import { maskSecretPair, stripNoise } from './normalize.ts';
import type { TakenBack } from './managed-fields.ts';

export const DiffAction = {
  create: 'create',
  change: 'change',
  prune: 'prune',
  /** Would be pruned but is data (PVC, Namespace): kept without `--prune-volumes`. */
  keep: 'keep',
  unchanged: 'unchanged',
} as const;
export type DiffAction = (typeof DiffAction)[keyof typeof DiffAction];

export interface ObjectDiff {
  ref: ObjectRef;
  action: DiffAction;
  /** Unified diff of the YAML (empty when unchanged or kept). */
  diff: string;
  /** Fields the apply would take back from other managers. */
  takenBack: TakenBack[];
}

export interface DiffSummary {
  create: number;
  change: number;
  prune: number;
  keep: number;
  unchanged: number;
}

/** Compares `live` (absent: created) with `after` (absent: pruned). */
export function diffObject(
  ref: ObjectRef,
  live: KubeObject | undefined,
  after: KubeObject | undefined,
  takenBack: TakenBack[] = [],
): ObjectDiff {
  const [before, next] = maskSecretPair(live && stripNoise(live), after && stripNoise(after));
  const beforeText = before ? toYaml(before) : '';
  const afterText = next ? toYaml(next) : '';
  const action: DiffAction = !live
    ? DiffAction.create
    : !after
      ? DiffAction.prune
      : beforeText === afterText
        ? DiffAction.unchanged
        : DiffAction.change;
  const name = describeRef(ref);
  const diff =
    action === DiffAction.unchanged
      ? ''
      : createTwoFilesPatch(
          live ? `live/${name}` : '/dev/null',
          after ? `after/${name}` : '/dev/null',
          beforeText,
          afterText,
          undefined,
          undefined,
          { context: 3 },
        );
  return { ref, action, diff, takenBack };
}

export function keptDiff(ref: ObjectRef): ObjectDiff {
  return { ref, action: DiffAction.keep, diff: '', takenBack: [] };
}

export function summarizeDiffs(diffs: readonly ObjectDiff[]): DiffSummary {
  const s: DiffSummary = { create: 0, change: 0, prune: 0, keep: 0, unchanged: 0 };
  for (const d of diffs) s[d.action]++;
  return s;
}

/** Whether applying would change anything (kept objects change nothing). */
export function hasChanges(summary: DiffSummary): boolean {
  return summary.create + summary.change + summary.prune > 0;
}

/** The text report: each diff, the fields taken back, the kept objects, and the summary line. */
export function formatDiffs(diffs: readonly ObjectDiff[]): string {
  const lines: string[] = [];
  for (const d of diffs) {
    if (d.diff) lines.push(d.diff.replace(/^=+\n/m, '').trimEnd());
    for (const t of d.takenBack)
      lines.push(`# ${describeRef(d.ref)}: takes back from ${t.manager}: ${t.fields.join(', ')}`);
    if (d.action === DiffAction.keep)
      lines.push(
        `# ${describeRef(d.ref)}: no longer in the release, kept (--prune-volumes deletes it)`,
      );
  }
  const s = summarizeDiffs(diffs);
  lines.push(
    `${s.create} to create, ${s.change} to change, ${s.prune} to prune, ${s.keep} kept, ${s.unchanged} unchanged`,
  );
  return `${lines.join('\n')}\n`;
}

function toYaml(obj: KubeObject): string {
  return stringify(obj, { sortMapEntries: true, lineWidth: 0 });
}
