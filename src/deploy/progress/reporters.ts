/**
 * Progress reporters: plain lines when stdout is not a terminal (CI logs), a live view that
 * redraws in place on a terminal, and silence for `--output json` (the result says it all).
 */
import type { CliIO } from '../../cli/io.ts';
import type { ApplyEvent } from '../events.ts';
import { driftLine, name, seconds } from './format.ts';

export type Reporter = (event: ApplyEvent) => void;

/** Every this many ms of waiting, the plain reporter says what it still waits for. */
const plainReminderMs = 10_000;

/** Long scheduler messages shortened for reminder lines (the final report has them whole). */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function plainReporter(io: CliIO): Reporter {
  const pending = new Map<string, string>();
  let lastReminder = 0;
  return (e) => {
    switch (e.type) {
      case 'phase':
        io.out(`-- ${e.phase}${e.lane ? ` (${e.lane})` : ''}: ${e.count} object(s)\n`);
        break;
      case 'applied':
        io.out(`applied   ${name(e.ref)}\n`);
        break;
      case 'rejected':
        io.out(`rejected  ${name(e.ref)}: ${e.message}\n`);
        break;
      case 'warning':
        io.out(`warning   ${name(e.ref)}: ${e.message}\n`);
        break;
      case 'drift':
        io.out(`${driftLine(e)}\n`);
        break;
      case 'waiting':
        io.out(`-- waiting for ${e.pending} of ${e.total} object(s) to be ready\n`);
        break;
      case 'status':
        if (e.readiness.status === 'Current') {
          pending.delete(name(e.ref));
          io.out(`ready     ${name(e.ref)} (${seconds(e.elapsedMs)})\n`);
        } else if (e.readiness.status === 'Failed') {
          io.out(`failed    ${name(e.ref)}: ${e.readiness.reason}\n`);
        } else pending.set(name(e.ref), e.readiness.reason);
        break;
      case 'tick':
        if (e.elapsedMs - lastReminder >= plainReminderMs && pending.size) {
          lastReminder = e.elapsedMs;
          const list = [...pending].slice(0, 5).map(([n, r]) => `${n} (${clip(r, 160)})`);
          const more = pending.size > 5 ? ` and ${pending.size - 5} more` : '';
          io.out(`waiting   ${seconds(e.elapsedMs)}: ${list.join('; ')}${more}\n`);
        }
        break;
    }
  };
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** The live view shows at most this many pending objects. */
const maxLiveRows = 12;

/** A block redrawn in place (ANSI cursor movement); lasting lines are printed above it. */
export function liveReporter(io: CliIO): Reporter {
  const phases = new Map<string, { total: number; applied: number }>();
  const pending = new Map<string, string>();
  let total = 0;
  let ready = 0;
  let waiting = false;
  let elapsed = 0;
  let drawn = 0;
  let frame = 0;
  const clear = (): void => {
    if (drawn) io.out(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (): void => {
    clear();
    const rows: string[] = [];
    const phaseText = [...phases].map(
      ([p, c]) => `${c.applied === c.total ? '✓' : ' '} ${p} ${c.applied}/${c.total}`,
    );
    if (phaseText.length) rows.push(`applied: ${phaseText.join('   ')}`);
    if (waiting) {
      rows.push(
        `${spinner[frame++ % spinner.length] ?? ''} ${seconds(elapsed)}  ${ready}/${total} ready`,
      );
      for (const [n, r] of [...pending].slice(0, maxLiveRows)) rows.push(`   … ${n}: ${r}`);
      if (pending.size > maxLiveRows) rows.push(`   … and ${pending.size - maxLiveRows} more`);
    }
    const width = 160;
    for (const row of rows) io.out(`${row.length > width ? row.slice(0, width - 1) + '…' : row}\n`);
    drawn = rows.length;
  };
  const lasting = (line: string): void => {
    clear();
    io.out(`${line}\n`);
    draw();
  };
  return (e) => {
    switch (e.type) {
      case 'phase': {
        // A led apply (ADR 0151) goes through the phases twice: the counts add up.
        const p = phases.get(e.phase);
        if (p) p.total += e.count;
        else phases.set(e.phase, { total: e.count, applied: 0 });
        break;
      }
      case 'applied': {
        const p = phases.get(e.phase);
        if (p) p.applied++;
        break;
      }
      case 'rejected':
        return lasting(`✗ rejected ${name(e.ref)}: ${e.message}`);
      case 'warning':
        return lasting(`! warning ${name(e.ref)}: ${e.message}`);
      case 'drift':
        return lasting(`! ${driftLine(e)}`);
      case 'waiting':
        waiting = true;
        total = e.total;
        ready = e.total - e.pending;
        break;
      case 'status':
        elapsed = e.elapsedMs;
        if (e.readiness.status === 'Current') {
          if (pending.delete(name(e.ref)) || !pending.has(name(e.ref)))
            ready = Math.min(total, ready + 1);
        } else if (e.readiness.status === 'Failed') {
          pending.delete(name(e.ref));
          return lasting(`✗ failed ${name(e.ref)}: ${e.readiness.reason}`);
        } else pending.set(name(e.ref), e.readiness.reason);
        break;
      case 'tick':
        elapsed = e.elapsedMs;
        break;
    }
    draw();
  };
}

/** Clears nothing and prints nothing: `--output json` reports once, at the end. */
export function silentReporter(): Reporter {
  return () => undefined;
}
