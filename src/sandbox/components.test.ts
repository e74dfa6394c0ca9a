import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentSpecs, type ComponentLayout } from './components.ts';
import { sandboxPaths } from './paths.ts';
import { pkiFiles } from './pki.ts';
import { components } from './types.ts';

const paths = sandboxPaths({
  name: 'unit',
  kubernetesVersion: 'v1.36.3',
  env: { HOME: '/home/someone' },
});
const layout: ComponentLayout = {
  paths,
  pki: pkiFiles(paths.pkiDir),
  ports: {
    etcdClient: 20001,
    etcdPeer: 20002,
    apiserver: 20003,
    controllerManager: 20004,
    scheduler: 20005,
    kwok: 20006,
    provisioner: 20007,
    metricsServer: 20008,
  },
  kubeconfigs: {
    controllerManager: '/k/cm',
    scheduler: '/k/s',
    kwok: '/k/kwok',
    provisioner: '/k/p',
    metricsServer: '/k/ms',
  },
  kwokConfig: '/repo/sandbox/kwok/kwok.yaml',
  auditPolicy: '/repo/sandbox/audit-policy.yaml',
  provisionerCommand: {
    command: '/usr/bin/node',
    args: ['/repo/bin/berth.js', 'sandbox', 'provisioner'],
  },
  env: { PATH: '/usr/bin' },
};
const specs = componentSpecs(layout);
const argsOf = (component: string) =>
  specs.find((s) => s.component === component)?.process.args ?? [];

test('componentSpecs: every component once, in start order', () => {
  assert.deepEqual(
    specs.map((s) => s.component),
    components,
  );
});

test('componentSpecs: the API server has RBAC, Pod Security and no anonymous access', () => {
  const args = argsOf('kube-apiserver');
  assert.ok(args.includes('--authorization-mode=Node,RBAC'));
  assert.ok(
    args.some((a) => a.startsWith('--enable-admission-plugins=') && a.includes('PodSecurity')),
  );
  assert.ok(args.includes('--anonymous-auth=false'));
  assert.ok(args.includes(`--client-ca-file=${layout.pki.caCert}`));
  assert.ok(args.includes(`--service-account-signing-key-file=${layout.pki.serviceAccountKey}`));
  assert.ok(args.includes('--etcd-servers=http://127.0.0.1:20001'));
});

test('componentSpecs: everything listens on loopback only', () => {
  for (const spec of specs) {
    assert.match(spec.health.url, /^https?:\/\/127\.0\.0\.1:\d+\//, spec.component);
    for (const arg of spec.process.args) {
      const address =
        /^--(?:bind-address|listen-[a-z-]+|advertise-address|server-address)=(.*)$/.exec(arg);
      if (address) assert.match(address[1] ?? '', /127\.0\.0\.1/, `${spec.component} ${arg}`);
    }
  }
});

test('componentSpecs: controllers use their own identities and service-account credentials', () => {
  const cm = argsOf('kube-controller-manager');
  assert.ok(cm.includes('--kubeconfig=/k/cm'));
  assert.ok(cm.includes('--use-service-account-credentials=true'));
  assert.ok(cm.includes(`--service-account-private-key-file=${layout.pki.serviceAccountKey}`));
  assert.ok(argsOf('kube-scheduler').includes('--kubeconfig=/k/s'));
  assert.ok(argsOf('kwok').includes('--kubeconfig=/k/kwok'));
  assert.ok(argsOf('provisioner').includes('--kubeconfig=/k/p'));
});

test('componentSpecs: logs and data stay in the run folder', () => {
  for (const spec of specs)
    assert.ok(spec.process.logFile.startsWith(`${paths.logDir}/`), spec.component);
  assert.ok(argsOf('etcd').includes(`--data-dir=${paths.etcdDataDir}`));
});

test('componentSpecs: metrics-server has its own identity, a verified kubelet CA and the node port', () => {
  const ms = argsOf('metrics-server');
  for (const flag of ['--kubeconfig', '--authentication-kubeconfig', '--authorization-kubeconfig'])
    assert.ok(ms.includes(`${flag}=/k/ms`), flag);
  assert.ok(ms.includes('--secure-port=20008'));
  assert.ok(ms.includes(`--tls-cert-file=${layout.pki.metricsServerCert}`));
  assert.ok(ms.includes(`--kubelet-certificate-authority=${layout.pki.caCert}`));
  assert.ok(ms.includes('--kubelet-use-node-status-port'));
  assert.ok(ms.includes('--kubelet-preferred-address-types=InternalIP'));
  assert.ok(!ms.some((a) => a.startsWith('--kubelet-insecure-tls')), 'TLS to kwok is verified');
});

test('componentSpecs: the API server proxies aggregated APIs with the front-proxy client', () => {
  const args = argsOf('kube-apiserver');
  assert.ok(args.includes(`--requestheader-client-ca-file=${layout.pki.caCert}`));
  assert.ok(args.includes('--requestheader-allowed-names=front-proxy-client'));
  assert.ok(args.some((a) => a.startsWith('--proxy-client-cert-file=')));
});
