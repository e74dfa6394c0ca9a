/**
 * Entry point of the sandbox provisioner process, started by `berth sandbox up` (lighter than
 * the whole CLI, so the sandbox starts sooner). Arguments: --kubeconfig=PATH --health-port=N.
 * Runs until SIGTERM or SIGINT.
 */
import { runProvisioner } from './run.ts';

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const kubeconfig = option('kubeconfig');
if (!kubeconfig) {
  process.stderr.write('usage: provisioner --kubeconfig=PATH [--health-port=N]\n');
  process.exitCode = 2;
} else {
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  await runProvisioner({
    kubeconfig,
    healthPort: Number(option('health-port') ?? '0'),
    signal: stop.signal,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
}
