/**
 * berth specs in the input are read through what they render. Rendered objects have no lines of
 * their own: each is placed at the spec document of the component that produced it (render says
 * which), or at the Platform document for platform-wide objects. Loaded on demand (spec and render are large).
 */
import { renderComponents } from '../render/index.ts';
import { isSpecDocument, validateWorkspace } from '../spec/index.ts';
import { positionOf, type YamlDocument, type YamlStream } from '../yaml/stream.ts';
import type { InputObject, InputProblem } from './types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Anchor {
  file: string;
  line: () => number;
}

/** Where a spec document is reported: its file, and (on demand, memoized) its metadata.name line. */
function anchor(document: YamlDocument): Anchor {
  let line: number | undefined;
  return {
    file: document.file,
    line: () => (line ??= positionOf(document, ['metadata', 'name']).line),
  };
}

export function renderSpecStreams(streams: readonly YamlStream[]): {
  objects: InputObject[];
  problems: InputProblem[];
} {
  const problems: InputProblem[] = [];
  // Syntax errors were reported once per file already; only spec documents are validated.
  const specOnly = streams.map((s) => ({
    ...s,
    documents: s.documents.filter((d) => isSpecDocument(d.value)),
    diagnostics: [],
  }));
  const root = streams[0]?.file ?? '-';
  const { workspace, diagnostics } = validateWorkspace(specOnly);
  if (!workspace) {
    for (const d of diagnostics) {
      const problem: InputProblem = {
        check: 'invalid-object',
        file: d.position?.file ?? root,
        line: d.position?.line ?? 1,
        column: d.position?.column ?? 1,
        message: `invalid berth spec: ${d.path ? `${d.path}: ` : ''}${d.message}`,
      };
      if (d.hint !== undefined) problem.hint = d.hint;
      problems.push(problem);
    }
    return { objects: [], problems };
  }
  // Lines are looked up only when a finding asks (positions cost a second, full parse of the file).
  const anchors = new Map<string, Anchor>();
  let platform: Anchor | undefined;
  for (const s of specOnly) {
    for (const d of s.documents) {
      const v = d.value;
      if (!isRecord(v) || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') continue;
      const at = anchor(d);
      if (v.kind === 'Platform') platform ??= at;
      else anchors.set(v.metadata.name, at);
    }
  }
  const fallback: Anchor = platform ?? { file: root, line: () => 1 };
  const objects = renderComponents(workspace).map(({ object, component }, i): InputObject => {
    const at = anchors.get(component) ?? fallback;
    return {
      object,
      file: at.file,
      documentIndex: -1 - i,
      origin: 'rendered',
      lineOf: () => at.line(),
      producer: { kind: 'spec', root: fallback.file },
    };
  });
  return { objects, problems };
}
