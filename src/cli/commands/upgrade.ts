import { formatSummary } from '../../deploy/progress/format.ts';
import { parseAddress, withImage } from '../../release/components.ts';
import { locateComponent } from '../../release/adapters/components.ts';
import { applyRelease } from '../../release/adapters/operations.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import {
  addLockOptions,
  connect,
  failedObjects,
  formatShipLines,
  lockMessages,
  maybeForceUnlock,
  releaseContext,
  reporterFor,
  shipJson,
  type ConnectFlags,
  type LockFlags,
} from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface UpgradeFlags extends ConnectFlags, LockFlags {
  image: string;
  container?: string;
  wait?: boolean;
  atomic?: boolean;
  timeout: string;
  output: string;
}

async function runUpgrade(io: CliIO, address: string, flags: UpgradeFlags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const timeoutMs = parseDurationFlag(flags.timeout);
  const deadline = Date.now() + timeoutMs;
  const conn = await connect(io, flags);
  try {
    const found = await locateComponent(conn.api, parseAddress(address), { deadline });
    const { objects, changes } = withImage(
      found.record.objects,
      found.component,
      flags.image,
      flags.container,
    );
    await maybeForceUnlock(io, conn.api, found.release, flags);
    if (output === 'text')
      for (const c of changes)
        io.out(
          `upgrading ${found.release.name}/${c.workload} container ${c.container}: ${c.from} -> ${flags.image}\n`,
        );
    const out = await applyRelease(releaseContext(conn, found.release), objects, {
      deadline,
      timeoutMs,
      wait: Boolean(flags.wait || flags.atomic),
      atomic: Boolean(flags.atomic),
      description: `upgrade ${found.component}: image ${flags.image}`,
      onEvent: reporterFor(io, output),
      ...lockMessages(io, found.release),
    });
    const s = out.shipped;
    if (output === 'json')
      io.out(
        `${JSON.stringify({ ...s.apply, release: { ...found.release, ...shipJson(s), changes, ...(out.restored ? { restored: { ...shipJson(out.restored), target: out.restored.target, apply: out.restored.apply } } : {}) } }, null, 2)}\n`,
      );
    else {
      io.out(formatSummary(s.apply, timeoutMs) + formatShipLines(s));
      io.out(`release ${found.release.name}: revision ${s.revision} ${s.status}\n`);
      if (out.restored)
        io.out(
          formatShipLines(out.restored) +
            `rolled back: revision ${out.restored.revision} restores revision ${out.restored.target} (${out.restored.status}); failed: ${failedObjects(s.apply)}\n`,
        );
      else if (out.noRestoreReason) io.out(`--atomic: nothing restored: ${out.noRestoreReason}\n`);
    }
    return s.status === 'deployed' ? ExitCode.ok : ExitCode.problems;
  } finally {
    conn.close();
  }
}

export const upgradeCommand: CliCommand = {
  name: 'upgrade',
  register(program, run) {
    const command = program
      .command('upgrade <component>')
      .description(
        "Change a component's image (<release>/<component> or <component>) as a new revision of its release; with --atomic, roll back when it does not become ready",
      )
      .requiredOption('--image <image>', 'the new image')
      .option(
        '--container <name>',
        'the container to change (default: the one named after the component, else the first)',
      )
      .option('--wait', 'wait until the component is ready')
      .option('--atomic', 'roll back to the previous revision when the wait fails (implies --wait)')
      .option('--timeout <duration>', 'deadline for the lock, the apply and the wait', '5m')
      .option('-o, --output <format>', 'text or json', 'text');
    addLockOptions(addClusterOptions(command)).action(
      run((io, address: string, flags: UpgradeFlags) => runUpgrade(io, address, flags)),
    );
  },
};
