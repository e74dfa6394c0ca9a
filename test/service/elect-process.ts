// One service process for the takeover test: argv identity, namespace, kubeconfig. Prints
// "leader <identity> <ms>" when it leads; SIGTERM stops it (handing the lease back).
import { connectKube } from '../../src/kube/connect.ts';
import { systemClock } from '../../src/kube/http/transport.ts';
import { startService } from '../../src/service/service.ts';

const [identity = 'x', namespace = 'default', kubeconfig = ''] = process.argv.slice(2);
const api = await connectKube({ kubeconfig });
const service = await startService({
  api,
  identity,
  namespace,
  leaseSeconds: 6,
  clock: systemClock,
  log: (l) => process.stderr.write(`${l}\n`),
  onLeader: () => process.stdout.write(`leader ${identity} ${Date.now()}\n`),
});
process.stdout.write(`started ${identity}\n`);
process.on('SIGTERM', () => {
  void service.stop().then(() => {
    api.close();
    process.exit(0);
  });
});
