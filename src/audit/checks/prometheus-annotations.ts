import { mainContainers, portsOf } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

const scrape = 'prometheus.io/scrape';
const port = 'prometheus.io/port';
const path = 'prometheus.io/path';

export const prometheusAnnotations: Check = {
  id: 'prometheus-annotations',
  severity: 'warning',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary:
    'Prometheus scrape annotations on a pod template name a port the pod declares and an absolute path.',
  remediation:
    'Set prometheus.io/port to a declared containerPort and prometheus.io/path to the metrics path (starting with /).',
  docs: `Scrape annotations pointing at an undeclared port produce a target that is always down, or none
at all; seed 001 suggests \`prometheus.io/port: "8181"\` "or 8051 for MCP" — copy-paste of the
wrong one is the typical error. When the pod declares several ports, \`prometheus.io/port\` is
required (Prometheus would otherwise scrape every declared port). Annotations on the
Deployment's own metadata (where Prometheus never looks) are reported too. No peer checks this.
Not fixed automatically: which port serves metrics is not knowable from the manifest.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const own = w.target.object.metadata.annotations ?? {};
      if (
        w.metaPath.length > 0 &&
        own[scrape] !== undefined &&
        w.meta.annotations[scrape] === undefined
      ) {
        out.push({
          target: w.target,
          path: ['metadata', 'annotations', scrape],
          message: `${nameOf(w.target)} has Prometheus annotations on the controller, not on its pod template, where Prometheus reads them`,
        });
      }
      const a = w.meta.annotations;
      if (a[scrape] === undefined && a[port] === undefined) continue;
      const problems: string[] = [];
      const declared = mainContainers(w).flatMap((c) => portsOf(c.container));
      if (a[scrape] !== 'true' && a[scrape] !== 'false')
        problems.push(`${scrape} is "${a[scrape] ?? ''}", not "true" or "false"`);
      if (a[scrape] === 'true') {
        if (a[port] === undefined && declared.length !== 1)
          problems.push(`${port} is missing and the pod declares ${declared.length} ports`);
        if (
          a[port] !== undefined &&
          !declared.some((d) => String(d.containerPort) === a[port] || d.name === a[port])
        )
          problems.push(
            `${port} "${a[port]}" is not a declared container port (${declared.map((d) => d.containerPort).join(', ') || 'none'})`,
          );
        if (a[path] !== undefined && !a[path].startsWith('/'))
          problems.push(`${path} "${a[path]}" does not start with /`);
      }
      if (problems.length === 0) continue;
      out.push({
        target: w.target,
        path: [...w.metaPath, 'annotations'],
        message: `${nameOf(w.target)}: ${problems.join('; ')}`,
      });
    }
    return out;
  },
};
