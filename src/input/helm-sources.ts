/**
 * Reading `helm template` output: Helm writes every manifest as `---` then `# Source:
 * <chart>/templates/<file>`. The output is split at its document markers, each piece keeps its
 * source, and a field of a rendered object is placed in its template by the keys on its path.
 * Pure: text in, data out.
 */
import type { PathSegment } from '../yaml/stream.ts';

export interface RenderedPiece {
  /** Path after `# Source:` (`mychart/templates/deployment.yaml`), or undefined. */
  source: string | undefined;
  text: string;
}

/** Splits a rendered stream at its `---` lines. */
export function splitRendered(output: string): RenderedPiece[] {
  const pieces: RenderedPiece[] = [];
  let lines: string[] = [];
  const flush = (): void => {
    const text = lines.join('\n');
    lines = [];
    if (text.trim() === '') return;
    const match = /^# Source: (.+)$/m.exec(text);
    pieces.push({ source: match?.[1]?.trim(), text });
  };
  for (const line of output.split('\n')) {
    if (/^---(\s|$)/.test(line)) flush();
    else lines.push(line);
  }
  flush();
  return pieces;
}

/**
 * The chart-relative file of a `# Source:` path: the first segment is the chart's name
 * (`mychart/templates/x.yaml` → `templates/x.yaml`; a subchart stays under `charts/<name>/`).
 */
export function chartRelative(source: string): string {
  const slash = source.indexOf('/');
  return slash < 0 ? source : source.slice(slash + 1);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The 1-based line in a template of the field at `path`: from the object's `kind:` line, each
 * key of the path is looked for below the previous one; the last one found wins. Approximate by
 * nature (a template is not YAML), exact for the usual one-object-per-template chart.
 */
export function templateLineOf(
  template: string,
  kind: string,
  path: readonly PathSegment[],
): number {
  const lines = template.split('\n');
  const kindPattern = new RegExp(`^\\s*kind:\\s*["']?${escape(kind)}["']?\\s*$`);
  let at = lines.findIndex((l) => kindPattern.test(l));
  if (at < 0) at = 0;
  let best = at;
  for (const segment of path) {
    if (typeof segment !== 'string') continue;
    const keyPattern = new RegExp(`^\\s*(?:-\\s+)?["']?${escape(segment)}["']?\\s*:`);
    let found = -1;
    for (let l = at + 1; l < lines.length; l++) {
      if (/^---(\s|$)/.test(lines[l] ?? '')) break;
      if (keyPattern.test(lines[l] ?? '')) {
        found = l;
        break;
      }
    }
    if (found < 0) break;
    best = found;
    at = found;
  }
  return best + 1;
}
