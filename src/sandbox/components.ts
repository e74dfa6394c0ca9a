/**
 * What each sandbox process is started with: program, flags and log file. Pure: a function of
 * the folders and ports, so the flags are unit-tested and documented in one place.
 */
import { join } from 'node:path';
import type { SandboxPaths } from './paths.ts';
import { identities, type PkiFiles } from './pki.ts';
import type { ProcessSpec } from './processes.ts';
import { Component } from './types.ts';

/** Loopback ports of one sandbox, picked free at start. */
export interface SandboxPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
  provisioner: number;
  metricsServer: number;
}

export const portNames = [
  'etcdClient',
  'etcdPeer',
  'apiserver',
  'controllerManager',
  'scheduler',
  'kwok',
  'provisioner',
  'metricsServer',
] as const satisfies readonly (keyof SandboxPorts)[];

/** The service network (ClusterIPs); nothing routes it, the API server only allocates from it. */
export const serviceCidr = '10.96.0.0/16';
/** Pod IPs that kwok hands out. */
export const podCidr = '10.244.0.0/16';

export interface ComponentLayout {
  paths: SandboxPaths;
  pki: PkiFiles;
  ports: SandboxPorts;
  /** Kubeconfig of each control-plane identity, by component. */
  kubeconfigs: {
    controllerManager: string;
    scheduler: string;
    kwok: string;
    provisioner: string;
    metricsServer: string;
  };
  /** The kwok configuration (KwokConfiguration and Stage documents). */
  kwokConfig: string;
  /** The API server's audit policy (sandbox/audit-policy.yaml); the log goes to logs/audit.log. */
  auditPolicy: string;
  /** How to run `berth sandbox provisioner` (node and its script). */
  provisionerCommand: { command: string; args: readonly string[]; cwd?: string };
  env: Readonly<Record<string, string | undefined>>;
}

const loopback = '127.0.0.1';

/** How a component is checked: an HTTP(S) GET that must answer 200. */
export interface HealthCheck {
  url: string;
  /** Authenticate with the admin certificate (the API server wants a client). */
  adminClient: boolean;
}

export interface ComponentSpec {
  component: Component;
  process: ProcessSpec;
  health: HealthCheck;
  /** Where it serves, for `berth sandbox status`. */
  endpoint: string;
}

function logOf(paths: SandboxPaths, component: Component): string {
  return join(paths.logDir, `${component}.log`);
}

function etcd(l: ComponentLayout): ComponentSpec {
  const client = `http://${loopback}:${l.ports.etcdClient}`;
  const peer = `http://${loopback}:${l.ports.etcdPeer}`;
  return {
    component: Component.etcd,
    endpoint: client,
    health: { url: `${client}/health`, adminClient: false },
    process: {
      command: join(l.paths.binDir, 'etcd'),
      logFile: logOf(l.paths, Component.etcd),
      env: { PATH: l.env.PATH, HOME: l.paths.runDir },
      args: [
        '--name=sandbox',
        `--data-dir=${l.paths.etcdDataDir}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=sandbox=${peer}`,
        '--initial-cluster-state=new',
        // A throwaway cluster on a shared disk: durability is not worth the fsync latency.
        '--unsafe-no-fsync',
        '--quota-backend-bytes=2147483648',
        '--log-level=warn',
      ],
    },
  };
}

function apiserver(l: ComponentLayout): ComponentSpec {
  const url = `https://${loopback}:${l.ports.apiserver}`;
  return {
    component: Component.apiserver,
    endpoint: url,
    health: { url: `${url}/readyz`, adminClient: true },
    process: {
      command: join(l.paths.binDir, 'kube-apiserver'),
      logFile: logOf(l.paths, Component.apiserver),
      env: { PATH: l.env.PATH, HOME: l.paths.runDir },
      args: [
        `--etcd-servers=http://${loopback}:${l.ports.etcdClient}`,
        `--bind-address=${loopback}`,
        `--advertise-address=${loopback}`,
        `--secure-port=${l.ports.apiserver}`,
        `--tls-cert-file=${l.pki.apiserverCert}`,
        `--tls-private-key-file=${l.pki.apiserverKey}`,
        `--client-ca-file=${l.pki.caCert}`,
        `--requestheader-client-ca-file=${l.pki.caCert}`,
        `--requestheader-allowed-names=${identities.frontProxy.user}`,
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${l.pki.certOf(identities.frontProxy)}`,
        `--proxy-client-key-file=${l.pki.keyOf(identities.frontProxy)}`,
        '--authorization-mode=Node,RBAC',
        // PodSecurity is on by default; naming it makes sure a future default cannot drop it.
        '--enable-admission-plugins=NodeRestriction,PodSecurity',
        // Privileged pods are allowed by the server so that Pod Security admission decides.
        '--allow-privileged=true',
        '--anonymous-auth=false',
        `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
        `--service-account-key-file=${l.pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${l.pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${serviceCidr}`,
        '--profiling=false',
        // Every write is audited (ADR 0060): tests assert what each actor wrote.
        `--audit-policy-file=${l.auditPolicy}`,
        `--audit-log-path=${auditLogOf(l.paths)}`,
        '--audit-log-maxsize=100',
        '--audit-log-maxbackup=1',
        '--v=1',
      ],
    },
  };
}

/** Where the sandbox's API server writes its audit log (JSON lines). */
export function auditLogOf(paths: SandboxPaths): string {
  return join(paths.logDir, 'audit.log');
}

/** Flags kube-controller-manager and kube-scheduler share: loopback serving, delegated auth. */
function servingFlags(port: number, kubeconfig: string, certDir: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${loopback}`,
    `--secure-port=${port}`,
    `--cert-dir=${certDir}`,
    // One replica each: no need to wait for a lease left by a previous run.
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ];
}

function controllerManager(l: ComponentLayout): ComponentSpec {
  const url = `https://${loopback}:${l.ports.controllerManager}`;
  return {
    component: Component.controllerManager,
    endpoint: url,
    health: { url: `${url}/healthz`, adminClient: false },
    process: {
      command: join(l.paths.binDir, 'kube-controller-manager'),
      logFile: logOf(l.paths, Component.controllerManager),
      env: { PATH: l.env.PATH, HOME: l.paths.runDir },
      args: [
        ...servingFlags(
          l.ports.controllerManager,
          l.kubeconfigs.controllerManager,
          join(l.paths.runDir, 'serving', 'kube-controller-manager'),
        ),
        // Every controller runs under its own service account, so RBAC is as in a real cluster.
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${l.pki.serviceAccountKey}`,
        `--root-ca-file=${l.pki.caCert}`,
        `--cluster-signing-cert-file=${l.pki.caCert}`,
        `--cluster-signing-key-file=${l.pki.caKey}`,
        `--service-cluster-ip-range=${serviceCidr}`,
        '--controllers=*',
        '--allocate-node-cidrs=false',
      ],
    },
  };
}

function scheduler(l: ComponentLayout): ComponentSpec {
  const url = `https://${loopback}:${l.ports.scheduler}`;
  return {
    component: Component.scheduler,
    endpoint: url,
    health: { url: `${url}/healthz`, adminClient: false },
    process: {
      command: join(l.paths.binDir, 'kube-scheduler'),
      logFile: logOf(l.paths, Component.scheduler),
      env: { PATH: l.env.PATH, HOME: l.paths.runDir },
      args: servingFlags(
        l.ports.scheduler,
        l.kubeconfigs.scheduler,
        join(l.paths.runDir, 'serving', 'kube-scheduler'),
      ),
    },
  };
}

function kwok(l: ComponentLayout): ComponentSpec {
  // HTTPS: the API server reaches kwok as the nodes' kubelet (pods/log, ADR 0060).
  const url = `https://${loopback}:${l.ports.kwok}`;
  return {
    component: Component.kwok,
    endpoint: url,
    health: { url: `${url}/healthz`, adminClient: false },
    process: {
      command: join(l.paths.binDir, 'kwok'),
      logFile: logOf(l.paths, Component.kwok),
      // kwok also reads ~/.kwok/kwok.yaml; a HOME of its own keeps a user's file out.
      env: { PATH: l.env.PATH, HOME: join(l.paths.runDir, 'kwok-home') },
      args: [
        `--kubeconfig=${l.kubeconfigs.kwok}`,
        `--config=${l.kwokConfig}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--server-address=${loopback}:${l.ports.kwok}`,
        `--cidr=${podCidr}`,
        `--node-ip=${loopback}`,
        `--node-port=${l.ports.kwok}`,
        `--tls-cert-file=${l.pki.apiserverCert}`,
        `--tls-private-key-file=${l.pki.apiserverKey}`,
      ],
    },
  };
}

function provisioner(l: ComponentLayout): ComponentSpec {
  const url = `http://${loopback}:${l.ports.provisioner}`;
  return {
    component: Component.provisioner,
    endpoint: url,
    health: { url: `${url}/healthz`, adminClient: false },
    process: {
      command: l.provisionerCommand.command,
      ...(l.provisionerCommand.cwd ? { cwd: l.provisionerCommand.cwd } : {}),
      logFile: logOf(l.paths, Component.provisioner),
      env: { ...l.env },
      args: [
        ...l.provisionerCommand.args,
        `--kubeconfig=${l.kubeconfigs.provisioner}`,
        `--health-port=${l.ports.provisioner}`,
      ],
    },
  };
}

/** How often metrics-server scrapes every node (kwok's /metrics/resource), ADR 0120. */
export const metricResolution = '15s';

/**
 * metrics-server (sigs.k8s.io/metrics-server) serves metrics.k8s.io through the API server's
 * aggregation layer: it scrapes kwok's kubelet-style /metrics/resource of every node (address
 * InternalIP 127.0.0.1, port from the node status, path from the node annotation
 * metrics.k8s.io/resource-metrics-path) and authenticates the API server's front-proxy requests
 * with the request-header CA it reads from kube-system/extension-apiserver-authentication.
 */
function metricsServer(l: ComponentLayout): ComponentSpec {
  const url = `https://${loopback}:${l.ports.metricsServer}`;
  return {
    component: Component.metricsServer,
    endpoint: url,
    health: { url: `${url}/livez`, adminClient: true },
    process: {
      command: join(l.paths.binDir, 'metrics-server'),
      logFile: logOf(l.paths, Component.metricsServer),
      env: { PATH: l.env.PATH, HOME: l.paths.runDir },
      args: [
        `--kubeconfig=${l.kubeconfigs.metricsServer}`,
        `--authentication-kubeconfig=${l.kubeconfigs.metricsServer}`,
        `--authorization-kubeconfig=${l.kubeconfigs.metricsServer}`,
        `--bind-address=${loopback}`,
        `--secure-port=${l.ports.metricsServer}`,
        `--tls-cert-file=${l.pki.metricsServerCert}`,
        `--tls-private-key-file=${l.pki.metricsServerKey}`,
        // kwok serves every node's kubelet endpoint on 127.0.0.1 with the API server's
        // certificate (signed by the sandbox CA, valid for 127.0.0.1): verified, not skipped.
        '--kubelet-preferred-address-types=InternalIP',
        '--kubelet-use-node-status-port',
        `--kubelet-certificate-authority=${l.pki.caCert}`,
        `--metric-resolution=${metricResolution}`,
        '--v=1',
      ],
    },
  };
}

/** Every component in start order. */
export function componentSpecs(layout: ComponentLayout): ComponentSpec[] {
  return [etcd, apiserver, controllerManager, scheduler, kwok, provisioner, metricsServer].map(
    (f) => f(layout),
  );
}
