/**
 * berth specs in the audit input are audited by what they render. Rendered objects have no lines
 * of their own: each is reported at the spec document of the component it belongs to (matched by
 * the `app.kubernetes.io/name`, `app.kubernetes.io/instance` or `app.kubernetes.io/component`
 * label, else by object name), or at the Platform document. They are never fixed in place:
 * `--fix` reports them as not fixable, since the spec (or the renderer) is what must change.
 */
import { isSpecDocument, validateWorkspace } from '../../spec/index.ts';
import { renderWorkspace } from '../../render/index.ts';
import type { YamlStream } from '../../yaml/stream.ts';
import { positionOf } from '../../yaml/stream.ts';
import { isRecord } from '../engine/pods.ts';
import type { InputProblem } from '../engine/run.ts';
import type { LocatedObject } from '../engine/types.ts';

export const isSpecValue = (value: unknown): boolean => isSpecDocument(value);

export function renderSpecStreams(streams: YamlStream[]): {
  objects: LocatedObject[];
  problems: InputProblem[];
} {
  const problems: InputProblem[] = [];
  const specOnly = streams.map((s) => ({
    ...s,
    documents: s.documents.filter((d) => isSpecDocument(d.value)),
    diagnostics: [],
  }));
  const { workspace, diagnostics } = validateWorkspace(specOnly);
  if (!workspace) {
    for (const d of diagnostics) {
      problems.push({
        check: 'invalid-object',
        file: d.position?.file ?? streams[0]?.file ?? '-',
        line: d.position?.line ?? 1,
        message: `invalid berth spec: ${d.path ? `${d.path}: ` : ''}${d.message}`,
      });
    }
    return { objects: [], problems };
  }
  const anchors = new Map<string, { file: string; line: number }>();
  let platform: { file: string; line: number } | undefined;
  for (const s of specOnly) {
    for (const d of s.documents) {
      const v = d.value;
      if (!isRecord(v) || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') continue;
      const at = { file: d.file, line: positionOf(d, ['metadata', 'name']).line };
      if (v.kind === 'Platform') platform ??= at;
      else anchors.set(v.metadata.name, at);
    }
  }
  const fallback = platform ?? { file: streams[0]?.file ?? '-', line: 1 };
  const objects = renderWorkspace(workspace).map((object, i): LocatedObject => {
    const labels = object.metadata.labels ?? {};
    const key = [
      labels['app.kubernetes.io/name'],
      labels['app.kubernetes.io/instance'],
      labels['app.kubernetes.io/component'],
      object.metadata.name,
    ].find((k) => k !== undefined && anchors.has(k));
    const at = (key !== undefined ? anchors.get(key) : undefined) ?? fallback;
    return {
      object,
      file: at.file,
      documentIndex: -1 - i,
      origin: 'rendered',
      lineOf: () => at.line,
    };
  });
  return { objects, problems };
}
