/** The three resource checks share one scan. */
import {
  isRecord,
  runningContainers,
  type ContainerRef,
  type Workload,
} from '../../engine/pods.ts';
import type { AuditContext, RawFinding } from '../../engine/types.ts';
import { containerLabel } from './describe.ts';

export function missingResources(
  context: AuditContext,
  wanted: readonly ('requests' | 'limits')[],
  resources: readonly string[],
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const w of context.index.workloads) {
    for (const c of runningContainers(w)) {
      const missing = missingOf(c, wanted, resources);
      if (missing.length === 0) continue;
      out.push(finding(w, c, missing));
    }
  }
  return out;
}

function missingOf(
  c: ContainerRef,
  wanted: readonly ('requests' | 'limits')[],
  resources: readonly string[],
): string[] {
  const r = isRecord(c.container.resources) ? c.container.resources : {};
  const missing: string[] = [];
  for (const kind of wanted) {
    const values = isRecord(r[kind]) ? r[kind] : {};
    for (const name of resources)
      if (values[name] === undefined || values[name] === null) missing.push(`${kind}.${name}`);
  }
  return missing;
}

function finding(w: Workload, c: ContainerRef, missing: string[]): RawFinding {
  return {
    target: w.target,
    path: [...c.path, 'resources'],
    message: `${containerLabel(w, c)} sets no ${missing.join(', ')}`,
    unfixableReason: 'sizes depend on the application',
  };
}
