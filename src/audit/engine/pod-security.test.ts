import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evaluatePodSecurity,
  parseLevel,
  parseVersion,
  type PodSecurityPolicy,
} from './pod-security.ts';
import type { PodSpec } from './pods.ts';

const restricted = (minor: number): PodSecurityPolicy => ({
  level: 'restricted',
  version: { minor, latest: false },
});
const baseline = (minor: number): PodSecurityPolicy => ({
  level: 'baseline',
  version: { minor, latest: false },
});
const noMeta = { labels: {}, annotations: {} };

const hardened = (): PodSpec => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
});

function withContainer(patch: Record<string, unknown>, pod: Partial<PodSpec> = {}): PodSpec {
  const spec = hardened();
  const c = spec.containers?.[0];
  if (c) Object.assign(c.securityContext ?? {}, patch);
  return { ...spec, ...pod };
}

// Each row mirrors a case of the reference's check_*.go: [name, policy, pod, violated check ids].
const cases: [string, PodSecurityPolicy, PodSpec, string[]][] = [
  ['hardened pod passes restricted', restricted(36), hardened(), []],
  [
    'allowPrivilegeEscalation unset fails restricted',
    restricted(36),
    withContainer({ allowPrivilegeEscalation: undefined }),
    ['allowPrivilegeEscalation'],
  ],
  [
    'allowPrivilegeEscalation unset is fine on Windows from 1.25',
    restricted(25),
    { ...withContainer({ allowPrivilegeEscalation: undefined }), os: { name: 'windows' } },
    [],
  ],
  [
    'allowPrivilegeEscalation unset fails Windows at 1.24',
    restricted(24),
    { ...withContainer({ allowPrivilegeEscalation: undefined }), os: { name: 'windows' } },
    ['allowPrivilegeEscalation'],
  ],
  [
    'allowPrivilegeEscalation is not checked before 1.8',
    restricted(7),
    withContainer({ allowPrivilegeEscalation: true }),
    [],
  ],
  [
    'seccomp on every container instead of the pod',
    restricted(36),
    {
      containers: [
        {
          name: 'a',
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            runAsNonRoot: true,
            seccompProfile: { type: 'Localhost' },
          },
        },
      ],
    },
    [],
  ],
  [
    'seccomp missing',
    restricted(36),
    { ...hardened(), securityContext: { runAsNonRoot: true } },
    ['seccompProfile_restricted'],
  ],
  [
    'seccomp Unconfined fails baseline from 1.19',
    baseline(19),
    { ...hardened(), securityContext: { seccompProfile: { type: 'Unconfined' } } },
    ['seccompProfile_baseline'],
  ],
  [
    'seccomp is not required by restricted before 1.19',
    restricted(18),
    { ...hardened(), securityContext: { runAsNonRoot: true } },
    [],
  ],
  [
    'drop ALL missing',
    restricted(36),
    withContainer({ capabilities: { drop: ['NET_RAW'] } }),
    ['capabilities_restricted'],
  ],
  [
    'NET_BIND_SERVICE may be added',
    restricted(36),
    withContainer({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }),
    [],
  ],
  [
    'CHOWN is baseline-allowed but not restricted',
    restricted(36),
    withContainer({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }),
    ['capabilities_restricted'],
  ],
  ['CHOWN passes baseline', baseline(36), withContainer({ capabilities: { add: ['CHOWN'] } }), []],
  [
    'SYS_ADMIN fails baseline',
    baseline(36),
    withContainer({ capabilities: { add: ['SYS_ADMIN'] } }),
    ['capabilities_baseline'],
  ],
  [
    'capabilities are not restricted before 1.22',
    restricted(21),
    withContainer({ capabilities: { drop: [] } }),
    [],
  ],
  [
    'runAsNonRoot false on a container',
    restricted(36),
    withContainer({ runAsNonRoot: false }),
    ['runAsNonRoot'],
  ],
  [
    'runAsNonRoot unset everywhere',
    restricted(36),
    { ...hardened(), securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    ['runAsNonRoot'],
  ],
  [
    'runAsNonRoot relaxed for user-namespace pods from 1.35',
    restricted(35),
    {
      ...hardened(),
      hostUsers: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    },
    [],
  ],
  [
    'runAsNonRoot not relaxed at 1.34',
    restricted(34),
    {
      ...hardened(),
      hostUsers: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    },
    ['runAsNonRoot'],
  ],
  ['runAsUser 0', restricted(36), withContainer({ runAsUser: 0 }), ['runAsUser']],
  ['runAsUser 0 is not checked before 1.23', restricted(22), withContainer({ runAsUser: 0 }), []],
  ['hostNetwork', baseline(36), { ...hardened(), hostNetwork: true }, ['hostNamespaces']],
  ['privileged', baseline(36), withContainer({ privileged: true }), ['privileged']],
  [
    'hostPath fails baseline',
    baseline(36),
    { ...hardened(), volumes: [{ name: 'h', hostPath: { path: '/' } }] },
    ['hostPathVolumes'],
  ],
  [
    'hostPath is reported once under restricted (restrictedVolumes overrides)',
    restricted(36),
    { ...hardened(), volumes: [{ name: 'h', hostPath: { path: '/' } }] },
    ['restrictedVolumes'],
  ],
  [
    'nfs passes baseline',
    baseline(36),
    { ...hardened(), volumes: [{ name: 'n', nfs: { server: 'x', path: '/' } }] },
    [],
  ],
  [
    'nfs fails restricted',
    restricted(36),
    { ...hardened(), volumes: [{ name: 'n', nfs: { server: 'x', path: '/' } }] },
    ['restrictedVolumes'],
  ],
  [
    'image volumes are allowed',
    restricted(36),
    { ...hardened(), volumes: [{ name: 'i', image: { reference: 'x:1' } }] },
    [],
  ],
  [
    'hostPort',
    baseline(36),
    { ...hardened(), containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: 80 }] }] },
    ['hostPorts'],
  ],
  [
    'AppArmor Unconfined',
    baseline(36),
    withContainer({ appArmorProfile: { type: 'Unconfined' } }),
    ['appArmorProfile'],
  ],
  [
    'SELinux container_engine_t allowed from 1.31',
    baseline(31),
    withContainer({ seLinuxOptions: { type: 'container_engine_t' } }),
    [],
  ],
  [
    'SELinux container_engine_t rejected at 1.30',
    baseline(30),
    withContainer({ seLinuxOptions: { type: 'container_engine_t' } }),
    ['seLinuxOptions'],
  ],
  [
    'SELinux user may not be set',
    baseline(36),
    withContainer({ seLinuxOptions: { user: 'system_u' } }),
    ['seLinuxOptions'],
  ],
  ['procMount Unmasked', baseline(36), withContainer({ procMount: 'Unmasked' }), ['procMount']],
  [
    'procMount Unmasked allowed by baseline in a user namespace from 1.35',
    baseline(35),
    { ...withContainer({ procMount: 'Unmasked' }), hostUsers: false },
    [],
  ],
  [
    'procMount Unmasked still rejected by restricted in a user namespace from 1.35',
    restricted(35),
    { ...withContainer({ procMount: 'Unmasked' }), hostUsers: false },
    ['procMount_restricted'],
  ],
  [
    'sysctl tcp_rmem allowed from 1.32',
    baseline(32),
    { ...hardened(), securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } },
    [],
  ],
  [
    'sysctl tcp_rmem rejected at 1.31',
    baseline(31),
    { ...hardened(), securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } },
    ['sysctls'],
  ],
  [
    'probe host rejected from 1.34',
    baseline(34),
    { containers: [{ name: 'a', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } }] },
    ['hostProbesAndHostLifecycle'],
  ],
  [
    'probe host not checked at 1.33',
    baseline(33),
    { containers: [{ name: 'a', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } }] },
    [],
  ],
  [
    'init and ephemeral containers count',
    restricted(36),
    {
      ...hardened(),
      initContainers: [{ name: 'init' }],
      ephemeralContainers: [
        {
          name: 'debug',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
    ['allowPrivilegeEscalation', 'capabilities_restricted'],
  ],
  [
    'privileged level checks nothing',
    { level: 'privileged', version: { minor: 36, latest: true } },
    withContainer({ privileged: true }),
    [],
  ],
];

for (const [name, policy, spec, expected] of cases) {
  test(`pod security: ${name}`, () => {
    assert.deepEqual(
      evaluatePodSecurity(policy, noMeta, spec).map((v) => v.id),
      expected,
    );
  });
}

test('pod security: AppArmor and seccomp annotations on the pod template', () => {
  const meta = {
    labels: {},
    annotations: {
      'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
    },
  };
  assert.deepEqual(
    evaluatePodSecurity(baseline(18), meta, hardened()).map((v) => v.id),
    ['appArmorProfile', 'seccompProfile_baseline'],
  );
});

test('pod security labels parse like the admission plugin', () => {
  assert.equal(parseLevel('baseline', 'restricted'), 'baseline');
  assert.equal(
    parseLevel('bogus', 'privileged'),
    'restricted',
    'an invalid level means restricted',
  );
  assert.equal(parseLevel(undefined, 'privileged'), 'privileged');
  assert.deepEqual(parseVersion('v1.29', 36), { minor: 29, latest: false });
  assert.deepEqual(parseVersion('latest', 36), { minor: 36, latest: true });
  assert.deepEqual(
    parseVersion('1.29', 36),
    { minor: 36, latest: true },
    'an invalid version means latest',
  );
});
