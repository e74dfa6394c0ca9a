/**
 * The sandbox's certificates, made locally with openssl on first start and kept in the run
 * folder: a CA, the API server's serving certificate, one client certificate per identity, and
 * the service-account signing key pair. ECDSA P-256 keys: quick to make, accepted everywhere.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BerthError, ErrorCode } from '../errors.ts';

const run = promisify(execFile);

/** A client identity: the user name (CN) and groups (O) the API server sees. */
export interface ClientIdentity {
  /** File stem in the pki folder, for example `admin` → admin.crt and admin.key. */
  file: string;
  user: string;
  groups: readonly string[];
}

/** Every identity the sandbox uses. RBAC applies to each as written here. */
export const identities = {
  admin: { file: 'admin', user: 'berth-sandbox-admin', groups: ['system:masters'] },
  controllerManager: {
    file: 'kube-controller-manager',
    user: 'system:kube-controller-manager',
    groups: [],
  },
  scheduler: { file: 'kube-scheduler', user: 'system:kube-scheduler', groups: [] },
  // kwok plays every kubelet: it writes node and pod status, leases and events on all nodes.
  kwok: { file: 'kwok', user: 'berth-sandbox-kwok', groups: ['system:masters'] },
  provisioner: { file: 'provisioner', user: 'system:berth-sandbox-provisioner', groups: [] },
  // The API server's aggregation-layer client (front proxy), as kubeadm sets it up: the
  // controller-manager and scheduler read its CA to authenticate delegated requests.
  frontProxy: { file: 'front-proxy-client', user: 'front-proxy-client', groups: [] },
  // metrics-server reads nodes and pods, and delegates authentication and authorization to the
  // API server (RBAC in sandbox/manifests/metrics-server.yaml).
  metricsServer: {
    file: 'metrics-server-client',
    user: 'system:berth-sandbox-metrics-server',
    groups: [],
  },
} as const satisfies Record<string, ClientIdentity>;

/** Names the API server's serving certificate is valid for. */
const apiserverNames = [
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
  'IP:127.0.0.1',
  'IP:10.96.0.1',
];

/**
 * Names metrics-server's serving certificate is valid for: the name the API server's aggregator
 * checks (`<service>.<namespace>.svc`) and the loopback address it dials (ADR 0120).
 */
const metricsServerNames = ['DNS:metrics-server.kube-system.svc', 'DNS:localhost', 'IP:127.0.0.1'];

export interface PkiFiles {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  metricsServerCert: string;
  metricsServerKey: string;
  certOf(identity: ClientIdentity): string;
  keyOf(identity: ClientIdentity): string;
}

export function pkiFiles(dir: string): PkiFiles {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
    metricsServerCert: join(dir, 'metrics-server.crt'),
    metricsServerKey: join(dir, 'metrics-server.key'),
    certOf: (identity) => join(dir, `${identity.file}.crt`),
    keyOf: (identity) => join(dir, `${identity.file}.key`),
  };
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const days = ['-days', '3650'];

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BerthError(
      ErrorCode.sandbox,
      `openssl failed while making the sandbox certificates (is openssl installed? bash scripts/setup.sh installs it): ${detail}`,
      { cause: error },
    );
  }
}

function subject(user: string, groups: readonly string[]): string {
  return [...groups.map((g) => `O = ${g}`), `CN = ${user}`].join('\n');
}

/** An openssl config for one leaf certificate, with no default extensions. */
function leafConfig(options: {
  subject: string;
  usage: 'clientAuth' | 'serverAuth';
  names?: readonly string[];
}): string {
  const lines = [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    'x509_extensions = ext',
    '[dn]',
    options.subject,
    '[ext]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    `extendedKeyUsage = ${options.usage}`,
    'authorityKeyIdentifier = keyid',
  ];
  if (options.names) lines.push(`subjectAltName = ${options.names.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

async function makeLeaf(files: PkiFiles, dir: string, stem: string, config: string): Promise<void> {
  const configFile = join(dir, `${stem}.cnf`);
  await writeFile(configFile, config, { mode: 0o600 });
  await openssl([
    'req',
    '-x509',
    '-new',
    '-config',
    configFile,
    ...ecKey,
    ...days,
    '-CA',
    files.caCert,
    '-CAkey',
    files.caKey,
    '-keyout',
    join(dir, `${stem}.key`),
    '-out',
    join(dir, `${stem}.crt`),
  ]);
  await rm(configFile);
}

/**
 * Makes every missing certificate and key in `dir`. Existing ones are kept, so a restarted
 * sandbox keeps its CA and service-account tokens stay valid.
 */
export async function ensurePki(dir: string): Promise<PkiFiles> {
  const files = pkiFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.caCert)) {
    const config = join(dir, 'ca.cnf');
    await writeFile(
      config,
      [
        '[req]',
        'distinguished_name = dn',
        'prompt = no',
        'x509_extensions = ext',
        '[dn]',
        'CN = berth-sandbox-ca',
        '[ext]',
        'basicConstraints = critical, CA:TRUE',
        'keyUsage = critical, keyCertSign, cRLSign, digitalSignature',
        'subjectKeyIdentifier = hash',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    await openssl([
      'req',
      '-x509',
      '-new',
      '-config',
      config,
      ...ecKey,
      ...days,
      '-keyout',
      files.caKey,
      '-out',
      files.caCert,
    ]);
    await rm(config);
  }
  if (!existsSync(files.apiserverCert)) {
    const config = leafConfig({
      subject: 'CN = kube-apiserver',
      usage: 'serverAuth',
      names: apiserverNames,
    });
    await makeLeaf(files, dir, 'apiserver', config);
  }
  // Made on the first start after metrics-server was added, in older run folders too.
  if (!existsSync(files.metricsServerCert)) {
    const config = leafConfig({
      subject: 'CN = metrics-server',
      usage: 'serverAuth',
      names: metricsServerNames,
    });
    await makeLeaf(files, dir, 'metrics-server', config);
  }
  for (const identity of Object.values(identities)) {
    if (existsSync(files.certOf(identity))) continue;
    const config = leafConfig({
      subject: subject(identity.user, identity.groups),
      usage: 'clientAuth',
    });
    await makeLeaf(files, dir, identity.file, config);
  }
  if (!existsSync(files.serviceAccountKey)) {
    await openssl([
      'ecparam',
      '-name',
      'prime256v1',
      '-genkey',
      '-noout',
      '-out',
      files.serviceAccountKey,
    ]);
    await openssl([
      'ec',
      '-in',
      files.serviceAccountKey,
      '-pubout',
      '-out',
      files.serviceAccountPub,
    ]);
  }
  return files;
}
