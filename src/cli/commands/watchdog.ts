/** `berth watchdog`: run | check | report | ledger | undo (one file each in ./watchdog/). */
import type { CliCommand } from '../command.ts';
import { registerCheck } from './watchdog/check.ts';
import { registerLedger } from './watchdog/ledger.ts';
import { registerReport } from './watchdog/report.ts';
import { registerRun } from './watchdog/run.ts';
import { registerUndo } from './watchdog/undo.ts';

export const watchdogSummary =
  'keep the cluster healthy: detect problems as they happen, fix what the policy allows (with a ledger and undo), notify Discord/Slack/webhooks';

export const watchdogCommand: CliCommand = {
  name: 'watchdog',
  register(program, run) {
    const wd = program.command('watchdog').description(watchdogSummary);
    registerRun(wd, run);
    registerCheck(wd, run);
    registerReport(wd, run);
    registerLedger(wd, run);
    registerUndo(wd, run);
  },
};
