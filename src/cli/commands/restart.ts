import { FieldManager } from '../../kube/api.ts';
import { UsageError } from '../../errors.ts';
import { describeRef } from '../../model/object.ts';
import { parseAddress, restartPatch } from '../../release/components.ts';
import { locateComponent } from '../../release/adapters/components.ts';
import { toRef } from '../../release/inventory.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { connect, waitFor, type ConnectFlags } from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface RestartFlags extends ConnectFlags {
  wait?: boolean;
  timeout: string;
  output: string;
}

async function runRestart(io: CliIO, address: string, flags: RestartFlags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const deadline = Date.now() + parseDurationFlag(flags.timeout);
  const b = { deadline };
  const conn = await connect(io, flags);
  try {
    const found = await locateComponent(conn.api, parseAddress(address), b);
    if (found.workloads.length === 0)
      throw new UsageError(`component ${found.component} runs no workload to restart`);
    const restarted = [];
    for (const w of found.workloads) {
      // As `kubectl rollout restart`: a new pod-template annotation rolls every pod.
      const live = await conn.api.patch(toRef(w), restartPatch(Date.now()), {
        ...b,
        fieldManager: FieldManager.cli,
        type: 'merge',
      });
      restarted.push(live);
      if (output === 'text') io.out(`restarted ${describeRef(toRef(w))}\n`);
    }
    let ok = true;
    let problems: string[] = [];
    if (flags.wait)
      ({ ok, problems } = await waitFor(io, conn.api, restarted, { deadline, output }));
    if (output === 'json')
      io.out(
        `${JSON.stringify({ apiVersion: 'berth.dev/v1alpha1', kind: 'RestartResult', release: found.release, component: found.component, restarted: restarted.map((r) => describeRef(toRef(r))), ready: ok, problems }, null, 2)}\n`,
      );
    else for (const p of problems) io.out(`not ready: ${p}\n`);
    return ok ? ExitCode.ok : ExitCode.problems;
  } finally {
    conn.close();
  }
}

export const restartCommand: CliCommand = {
  name: 'restart',
  register(program, run) {
    const command = program
      .command('restart <component>')
      .description(
        'Roll every pod of a component (<release>/<component> or <component>) as kubectl rollout restart does; with --wait, until it is ready again',
      )
      .option('--wait', 'wait until the component is ready again')
      .option('--timeout <duration>', 'deadline (90s, 5m)', '5m')
      .option('-o, --output <format>', 'text or json', 'text');
    addClusterOptions(command).action(
      run((io, address: string, flags: RestartFlags) => runRestart(io, address, flags)),
    );
  },
};
