// A real-sized Helm chart of our own for the chart case of the audit bench: the vapora example,
// rendered by berth, cut into one template per object and templated the way charts usually are
// (a labels helper, image and namespace values, a switch per object), so `helm template` has
// real work to do. Written under bench/out (not in git), anew at every bench run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const HELPERS = `{{/* Labels every object of the chart carries. */}}
{{- define "vapora.labels" -}}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}
`;

const VALUES = `# Prefix put before every image reference (for example a mirror registry, ending in "/").
imagePrefix: ""
# Namespace overrides by the rendered namespace name.
namespaces: {}
# Names of objects not to render.
disabled: []
`;

/** Turns one rendered object's YAML into a chart template. */
function templateFor(name: string, yamlText: string): string {
  const lines = yamlText.trimEnd().split('\n');
  const out: string[] = [`{{- if not (has ${JSON.stringify(name)} .Values.disabled) }}`];
  let labelsDone = false;
  for (const line of lines) {
    const image = /^(\s+)image: (\S+)$/.exec(line);
    const namespace = /^ {2}namespace: (\S+)$/.exec(line);
    if (image) out.push(`${image[1]}image: "{{ .Values.imagePrefix }}${image[2]}"`);
    else if (namespace)
      out.push(
        `  namespace: {{ index .Values.namespaces ${JSON.stringify(namespace[1])} | default ${JSON.stringify(namespace[1])} }}`,
      );
    else out.push(line);
    if (!labelsDone && line === '  labels:') {
      out.push('    {{- include "vapora.labels" . | nindent 4 }}');
      labelsDone = true;
    }
  }
  out.push('{{- end }}', '');
  return out.join('\n');
}

/** Writes the chart into `dir` (replacing it); returns the number of templates. */
export function writeVaporaChart(root: string, dir: string): number {
  const stream = execFileSync(
    process.execPath,
    [join(root, 'dist', 'cli', 'main.js'), 'render', 'examples/vapora'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(
    join(dir, 'Chart.yaml'),
    'apiVersion: v2\nname: vapora\ndescription: VAPORA as a chart (bench fixture made from examples/vapora)\ntype: application\nversion: 0.1.0\nappVersion: "1.0.0"\n',
  );
  writeFileSync(join(dir, 'values.yaml'), VALUES);
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), HELPERS);
  let count = 0;
  for (const doc of parseAllDocuments(stream)) {
    const object = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
    if (!object?.kind || !object.metadata?.name) continue;
    count++;
    const file = `${String(count).padStart(3, '0')}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    writeFileSync(join(dir, 'templates', file), templateFor(object.metadata.name, doc.toString()));
  }
  return count;
}
