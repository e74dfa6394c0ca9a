/** Kubeconfig files for the sandbox's identities, self-contained (certificates embedded). */
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../files/atomic.ts';
import type { ClientIdentity, PkiFiles } from './pki.ts';

async function base64Of(path: string): Promise<string> {
  return (await readFile(path)).toString('base64');
}

/** The kubeconfig text for `identity` talking to the API server at `server`. */
export async function kubeconfigFor(options: {
  name: string;
  server: string;
  pki: PkiFiles;
  identity: ClientIdentity;
}): Promise<string> {
  const { name, server, pki, identity } = options;
  const cluster = `berth-sandbox-${name}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': cluster,
    clusters: [
      {
        name: cluster,
        cluster: { server, 'certificate-authority-data': await base64Of(pki.caCert) },
      },
    ],
    users: [
      {
        name: identity.user,
        user: {
          'client-certificate-data': await base64Of(pki.certOf(identity)),
          'client-key-data': await base64Of(pki.keyOf(identity)),
        },
      },
    ],
    contexts: [{ name: cluster, context: { cluster, user: identity.user } }],
    preferences: {},
  };
  return stringify(config);
}

export async function writeKubeconfig(
  path: string,
  options: Parameters<typeof kubeconfigFor>[0],
): Promise<void> {
  await writeFileAtomic(path, await kubeconfigFor(options));
}
