import { FieldManager } from '../../kube/api.ts';
import { UsageError } from '../../errors.ts';
import { describeRef } from '../../model/object.ts';
import { checkScale, parseAddress } from '../../release/components.ts';
import { locateComponent } from '../../release/adapters/components.ts';
import { toRef } from '../../release/inventory.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { connect, waitFor, type ConnectFlags } from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface ScaleFlags extends ConnectFlags {
  replicas: string;
  wait?: boolean;
  timeout: string;
  output: string;
}

const autoscalerKinds = [
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' },
];

async function runScale(io: CliIO, address: string, flags: ScaleFlags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const replicas = Number(flags.replicas);
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new UsageError(`--replicas ${flags.replicas}: must be a whole number (0 or more)`);
  const deadline = Date.now() + parseDurationFlag(flags.timeout);
  const b = { deadline };
  const conn = await connect(io, flags);
  try {
    const found = await locateComponent(conn.api, parseAddress(address), b);
    const scalable = found.workloads.filter((w) => w.kind !== 'DaemonSet');
    if (scalable.length === 0)
      throw new UsageError(
        `component ${found.component} has no Deployment or StatefulSet to scale`,
      );
    const changed = [];
    const report: { workload: string; from: number; to: number; warnings: string[] }[] = [];
    for (const w of scalable) {
      const autoscalers = [];
      for (const k of autoscalerKinds) {
        if (!(await conn.api.resource(k.apiVersion, k.kind, b))) continue;
        autoscalers.push(
          ...(await conn.api.list({ ...k, namespace: w.metadata.namespace ?? '' }, b)).items,
        );
      }
      const check = checkScale(w, replicas, autoscalers);
      if (check.refuse) throw new UsageError(`refused: ${check.refuse}`);
      for (const warning of check.warnings) io.err(`warning: ${warning}\n`);
      const ref = toRef(w);
      const before = await conn.api.getScale(ref, b);
      await conn.api.patchScale(ref, replicas, { ...b, fieldManager: FieldManager.cli });
      report.push({
        workload: describeRef(ref),
        from: before.replicas,
        to: replicas,
        warnings: check.warnings,
      });
      if (output === 'text')
        io.out(`scaled ${describeRef(ref)}: ${before.replicas} -> ${replicas}\n`);
      const live = await conn.api.get(ref, b);
      if (live) changed.push(live);
    }
    let ok = true;
    if (flags.wait) {
      const waited = await waitFor(io, conn.api, changed, { deadline, output });
      ok = waited.ok;
      if (output === 'text') for (const p of waited.problems) io.out(`not ready: ${p}\n`);
    }
    if (output === 'json')
      io.out(
        `${JSON.stringify({ apiVersion: 'berth.dev/v1alpha1', kind: 'ScaleResult', release: found.release, component: found.component, scaled: report, ready: ok }, null, 2)}\n`,
      );
    return ok ? ExitCode.ok : ExitCode.problems;
  } finally {
    conn.close();
  }
}

export const scaleCommand: CliCommand = {
  name: 'scale',
  register(program, run) {
    const command = program
      .command('scale <component>')
      .description(
        'Set the replicas of a component (<release>/<component> or <component>) through the /scale subresource; refuses to scale a single-writer agent above 1, warns when an autoscaler owns the replicas',
      )
      .requiredOption('--replicas <n>', 'the number of replicas')
      .option('--wait', 'wait until the component is ready')
      .option('--timeout <duration>', 'deadline (90s, 5m)', '5m')
      .option('-o, --output <format>', 'text or json', 'text');
    addClusterOptions(command).action(
      run((io, address: string, flags: ScaleFlags) => runScale(io, address, flags)),
    );
  },
};
