import type { ObjectRef } from '../../model/object.ts';
import { describeRef } from '../../model/object.ts';
import type { ApplyEvent, ApplyResult } from '../events.ts';

export function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function name(ref: ObjectRef): string {
  return describeRef(ref);
}

/** `drift     Deployment x: took back spec.replicas from "kubectl-scale"`. */
export function driftLine(e: Extract<ApplyEvent, { type: 'drift' }>): string {
  const verb = e.dryRun ? 'would take back' : 'took back';
  const fields = e.fields.map((f) => `${f.field} from "${f.manager}"`).join(', ');
  return `drift     ${name(e.ref)}: ${verb} ${fields}`;
}

/** The closing lines of a text report: what failed or is still pending, and the outcome. */
export function formatSummary(result: ApplyResult, timeoutMs: number): string {
  const lines: string[] = [];
  const s = result.summary;
  for (const o of result.objects) {
    if (o.action === 'rejected') lines.push(`rejected  ${name(o)}: ${o.error ?? ''}`);
    else if (result.waited && o.status === 'Failed')
      lines.push(`failed    ${name(o)}: ${o.reason ?? ''}`);
    else if (result.outcome === 'timeout' && o.status === 'InProgress')
      lines.push(`pending   ${name(o)}: ${o.reason ?? ''}`);
  }
  const time = seconds(result.elapsedMs);
  const dry = result.dryRun ? ' (server dry run: nothing was persisted)' : '';
  switch (result.outcome) {
    case 'ready':
      lines.push(`${s.applied} object(s) applied and ready in ${time}.`);
      break;
    case 'applied':
      lines.push(`${s.applied} object(s) applied in ${time}${dry}.`);
      break;
    case 'rejected':
      lines.push(
        `${s.rejected} object(s) rejected by the API server, ${s.applied} applied, ${s.skipped} not applied (later phases).`,
      );
      break;
    case 'failed':
      lines.push(`Failed after ${time}: ${s.failed} object(s) cannot become ready.`);
      break;
    case 'timeout':
      if (result.serverProblem) {
        lines.push(
          `Timed out after ${seconds(timeoutMs)} because ${result.serverProblem}; the objects' last known state is above (this is not their fault).`,
        );
        break;
      }
      lines.push(
        `Timed out after ${seconds(timeoutMs)}: ${s.inProgress} object(s) not ready (raise --timeout, or see the reasons above).`,
      );
      break;
  }
  return lines.join('\n') + '\n';
}
