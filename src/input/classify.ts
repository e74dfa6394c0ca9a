/**
 * What a file or folder of the input is, from names and text alone. Pure: no filesystem.
 */

export const isDockerfileName = (name: string): boolean =>
  name === 'Dockerfile' ||
  name === 'Containerfile' ||
  name.startsWith('Dockerfile.') ||
  name.endsWith('.Dockerfile') ||
  name.endsWith('.dockerfile');

/** YAML files berth reads (the audit config is not input). */
export const isYamlName = (name: string): boolean =>
  /\.ya?ml$/i.test(name) && name !== '.berth-audit.yaml';

/** The file that makes a folder a Helm chart. */
export const chartFile = 'Chart.yaml';

/** The files that make a folder a kustomization (kustomize accepts any of the three). */
export const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A folder is a chart or a kustomization when it holds one of their marker files. */
export function folderKind(names: readonly string[]): 'chart' | 'kustomization' | 'plain' {
  if (names.includes(chartFile)) return 'chart';
  if (names.some((n) => kustomizationFiles.includes(n))) return 'kustomization';
  return 'plain';
}

/** A berth spec document is in the text (checked before parsing, so each file is parsed once). */
export const mayHoldSpec = (text: string): boolean =>
  // The substring test first: a multiline regex over every manifest costs more than the search.
  text.includes('berth.dev/') && /^\s*apiVersion\s*:\s*["']?berth\.dev\//m.test(text);

/**
 * The 1-based line of the first Go-template action that sits where YAML structure goes — a line
 * that starts with `{{` (`{{- if .Values.x }}`, `{{ include "x" . | nindent 4 }}`), or a key or
 * list item whose unquoted value starts with `{{` — or undefined when there is none. Text inside
 * quotes and block scalars (`|`, `>`) is data: an Alertmanager template in a ConfigMap or an
 * Argo Workflows `"{{inputs.parameters.x}}"` is not a Helm template.
 */
export function templateLine(text: string): number | undefined {
  if (!text.includes('{{')) return undefined;
  const lines = text.split('\n');
  let blockIndent = -1; // indentation of the key that opened a block scalar; -1 when not in one
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (blockIndent >= 0) {
      if (trimmed === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (trimmed.startsWith('{{')) return i + 1;
    if (/^(?:-\s+)*(?:[^\s#"'{][^:#]*:\s+|-\s+)\{\{/.test(trimmed)) return i + 1;
    const block = /^((?:-\s+)*)([^\s#"'-][^:#]*:)?\s*[|>][-+0-9]*\s*(?:#.*)?$/.exec(trimmed);
    if (block) {
      // Content must be indented past the key, or past the dash of a bare `- |` item.
      const dashes = (block[1] ?? '').length;
      blockIndent = indent + (block[2] !== undefined ? dashes : Math.max(0, dashes - 2));
    }
  }
  return undefined;
}
