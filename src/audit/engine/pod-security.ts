/**
 * Static emulation of the pod-security-admission reference (kubernetes/pod-security-admission,
 * policy/check_*.go): the same checks, the same minimum versions, the same overrides of baseline
 * checks by restricted ones, and the same namespace-label parsing (an invalid level means
 * restricted, an invalid version means latest). Pure: a namespace's labels and a pod in,
 * violations out.
 */
import {
  isRecord,
  stringList,
  type Container,
  type PodSpec,
  type SecurityContext,
  type Workload,
} from './pods.ts';
import type { PodSecurityLevel } from './types.ts';

export interface PolicyVersion {
  /** Minor version of Kubernetes 1.x; `latest` is resolved by the caller. */
  minor: number;
  latest: boolean;
}

export interface PodSecurityPolicy {
  level: PodSecurityLevel;
  version: PolicyVersion;
}

export interface PodSecurityViolation {
  /** The reference's check id, e.g. `allowPrivilegeEscalation`. */
  id: string;
  reason: string;
}

export const podSecurityLabel = {
  enforce: 'pod-security.kubernetes.io/enforce',
  enforceVersion: 'pod-security.kubernetes.io/enforce-version',
  warn: 'pod-security.kubernetes.io/warn',
  warnVersion: 'pod-security.kubernetes.io/warn-version',
  audit: 'pod-security.kubernetes.io/audit',
  auditVersion: 'pod-security.kubernetes.io/audit-version',
} as const;

const levels: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

export function parseLevel(
  value: string | undefined,
  fallback: PodSecurityLevel,
): PodSecurityLevel {
  if (value === undefined) return fallback;
  return (levels as readonly string[]).includes(value) ? (value as PodSecurityLevel) : 'restricted';
}

export function parseVersion(value: string | undefined, latestMinor: number): PolicyVersion {
  const match = value === undefined ? null : /^v1\.(0|[1-9]\d*)$/.exec(value);
  if (!match) return { minor: latestMinor, latest: true };
  return { minor: Number(match[1]), latest: false };
}

export function compareLevels(a: PodSecurityLevel, b: PodSecurityLevel): number {
  return levels.indexOf(a) - levels.indexOf(b);
}

type PodCheck = (meta: Workload['meta'], spec: PodSpec) => string | undefined;

interface VersionedCheck {
  minor: number;
  check: PodCheck;
  overrides?: string[];
}

interface CheckDefinition {
  id: string;
  level: 'baseline' | 'restricted';
  versions: VersionedCheck[];
}

function containersOf(spec: PodSpec): Container[] {
  const out: Container[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[key];
    if (Array.isArray(list)) for (const c of list) if (isRecord(c)) out.push(c);
  }
  return out;
}

function sc(c: Container): SecurityContext {
  return isRecord(c.securityContext) ? c.securityContext : {};
}

function podSc(spec: PodSpec): SecurityContext {
  return isRecord(spec.securityContext) ? spec.securityContext : {};
}

function names(cs: Container[]): string {
  return cs.map((c) => `"${String(c.name)}"`).join(', ');
}

const isWindows = (spec: PodSpec): boolean => isRecord(spec.os) && spec.os.name === 'windows';
const userNamespace = (spec: PodSpec): boolean => spec.hostUsers === false;

function unlessWindows(check: PodCheck): PodCheck {
  return (meta, spec) => (isWindows(spec) ? undefined : check(meta, spec));
}

function unlessUserNamespace(check: PodCheck): PodCheck {
  return (meta, spec) => (userNamespace(spec) ? undefined : check(meta, spec));
}

const hostNamespaces: PodCheck = (_m, spec) => {
  const bad = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true);
  return bad.length ? `host namespaces (${bad.map((k) => `${k}=true`).join(', ')})` : undefined;
};

const privileged: PodCheck = (_m, spec) => {
  const bad = containersOf(spec).filter((c) => sc(c).privileged === true);
  return bad.length
    ? `privileged (containers ${names(bad)} must not set securityContext.privileged=true)`
    : undefined;
};

const baselineCapabilities = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const capabilitiesBaseline: PodCheck = (_m, spec) => {
  const bad = new Set<string>();
  const cs = containersOf(spec).filter((c) => {
    const add = stringList(sc(c).capabilities?.add).filter((a) => !baselineCapabilities.has(a));
    add.forEach((a) => bad.add(a));
    return add.length > 0;
  });
  return cs.length
    ? `non-default capabilities (containers ${names(cs)} must not include ${[...bad].join(', ')} in securityContext.capabilities.add)`
    : undefined;
};

const hostPathVolumes: PodCheck = (_m, spec) => {
  const bad = (Array.isArray(spec.volumes) ? spec.volumes : []).filter(
    (v) => isRecord(v) && v.hostPath !== undefined && v.hostPath !== null,
  );
  return bad.length
    ? `hostPath volumes (volumes ${bad.map((v) => `"${String(v.name)}"`).join(', ')})`
    : undefined;
};

const hostPorts: PodCheck = (_m, spec) => {
  const ports: number[] = [];
  const cs = containersOf(spec).filter((c) => {
    const hp = (Array.isArray(c.ports) ? c.ports : [])
      .filter((p) => isRecord(p) && typeof p.hostPort === 'number' && p.hostPort !== 0)
      .map((p) => Number(p.hostPort));
    ports.push(...hp);
    return hp.length > 0;
  });
  return cs.length
    ? `hostPort (containers ${names(cs)} use hostPorts ${ports.join(', ')})`
    : undefined;
};

const appArmor: PodCheck = (meta, spec) => {
  const okType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  const bad: string[] = [];
  if (isRecord(podSc(spec).appArmorProfile) && !okType(podSc(spec).appArmorProfile?.type))
    bad.push('pod');
  const cs = containersOf(spec).filter(
    (c) => isRecord(sc(c).appArmorProfile) && !okType(sc(c).appArmorProfile?.type),
  );
  if (cs.length) bad.push(`containers ${names(cs)}`);
  for (const [k, v] of Object.entries(meta.annotations)) {
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      !(v === '' || v === 'runtime/default' || v.startsWith('localhost/'))
    ) {
      bad.push(`annotation ${k}="${v}"`);
    }
  }
  return bad.length ? `forbidden AppArmor profile (${bad.join(', ')})` : undefined;
};

function seLinux(allowed: ReadonlySet<string>): PodCheck {
  return (_m, spec) => {
    const invalid = (o: unknown): boolean =>
      isRecord(o) &&
      (!allowed.has(typeof o.type === 'string' ? o.type : '') || !!o.user || !!o.role);
    const bad: string[] = [];
    if (invalid(podSc(spec).seLinuxOptions)) bad.push('pod');
    const cs = containersOf(spec).filter((c) => invalid(sc(c).seLinuxOptions));
    if (cs.length) bad.push(`containers ${names(cs)}`);
    return bad.length
      ? `seLinuxOptions (${bad.join(', ')} set forbidden securityContext.seLinuxOptions)`
      : undefined;
  };
}
const seLinux1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const seLinux1_31 = new Set([...seLinux1_0, 'container_engine_t']);

const procMount: PodCheck = (_m, spec) => {
  const cs = containersOf(spec).filter(
    (c) =>
      sc(c).procMount !== undefined && sc(c).procMount !== null && sc(c).procMount !== 'Default',
  );
  return cs.length
    ? `procMount (containers ${names(cs)} must not set securityContext.procMount to a non-Default value)`
    : undefined;
};

const validSeccomp = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';

const seccompBaseline1_0: PodCheck = (meta, spec) => {
  const ok = (v: string): boolean =>
    v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
  const bad: string[] = [];
  const pod = meta.annotations['seccomp.security.alpha.kubernetes.io/pod'];
  if (pod !== undefined && !ok(pod)) bad.push(`seccomp.security.alpha.kubernetes.io/pod="${pod}"`);
  for (const c of containersOf(spec)) {
    const key = `container.seccomp.security.alpha.kubernetes.io/${String(c.name)}`;
    const v = meta.annotations[key];
    if (v !== undefined && !ok(v)) bad.push(`${key}="${v}"`);
  }
  return bad.length ? `seccompProfile (forbidden annotations ${bad.join(', ')})` : undefined;
};

const seccompBaseline1_19: PodCheck = (_m, spec) => {
  const bad: string[] = [];
  const pod = podSc(spec).seccompProfile;
  if (isRecord(pod) && !validSeccomp(pod.type)) bad.push('pod');
  const cs = containersOf(spec).filter(
    (c) => isRecord(sc(c).seccompProfile) && !validSeccomp(sc(c).seccompProfile?.type),
  );
  if (cs.length) bad.push(`containers ${names(cs)}`);
  return bad.length
    ? `seccompProfile (${bad.join(', ')} must not set securityContext.seccompProfile.type to Unconfined)`
    : undefined;
};

const sysctls1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const sysctls1_27 = [...sysctls1_0, 'net.ipv4.ip_local_reserved_ports'];
const sysctls1_29 = [
  ...sysctls1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const sysctls1_32 = [...sysctls1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const sysctls1_37 = [
  ...sysctls1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
];

function sysctls(allowed: readonly string[]): PodCheck {
  const set = new Set(allowed);
  return (_m, spec) => {
    const list = Array.isArray(podSc(spec).sysctls) ? (podSc(spec).sysctls ?? []) : [];
    const bad = list
      .filter((s) => isRecord(s) && !set.has(String(s.name)))
      .map((s) => String(s.name));
    return bad.length ? `forbidden sysctls (${bad.join(', ')})` : undefined;
  };
}

const windowsHostProcess: PodCheck = (_m, spec) => {
  const bad: string[] = [];
  if (podSc(spec).windowsOptions?.hostProcess === true) bad.push('pod');
  const cs = containersOf(spec).filter((c) => sc(c).windowsOptions?.hostProcess === true);
  if (cs.length) bad.push(`containers ${names(cs)}`);
  return bad.length
    ? `hostProcess (${bad.join(', ')} must not set securityContext.windowsOptions.hostProcess=true)`
    : undefined;
};

const hostProbes: PodCheck = (_m, spec) => {
  const hosts = (h: unknown): string[] => {
    if (!isRecord(h)) return [];
    const out: string[] = [];
    for (const k of ['httpGet', 'tcpSocket']) {
      const v = h[k];
      if (isRecord(v) && typeof v.host === 'string' && v.host !== '') out.push(v.host);
    }
    return out;
  };
  const bad = new Set<string>();
  const cs = containersOf(spec).filter((c) => {
    const found = [
      c.livenessProbe,
      c.readinessProbe,
      c.startupProbe,
      c.lifecycle?.postStart,
      c.lifecycle?.preStop,
    ].flatMap(hosts);
    found.forEach((h) => bad.add(h));
    return found.length > 0;
  });
  return cs.length
    ? `probe or lifecycle host (containers ${names(cs)} use hosts ${[...bad].join(', ')})`
    : undefined;
};

const allowPrivilegeEscalation: PodCheck = (_m, spec) => {
  const bad = containersOf(spec).filter((c) => sc(c).allowPrivilegeEscalation !== false);
  return bad.length
    ? `allowPrivilegeEscalation != false (containers ${names(bad)} must set securityContext.allowPrivilegeEscalation=false)`
    : undefined;
};

const runAsNonRoot: PodCheck = (_m, spec) => {
  const pod = podSc(spec).runAsNonRoot;
  const setters: string[] = [];
  if (pod === false) setters.push('pod');
  const explicit = containersOf(spec).filter((c) => sc(c).runAsNonRoot === false);
  if (explicit.length) setters.push(`containers ${names(explicit)}`);
  if (setters.length)
    return `runAsNonRoot != true (${setters.join(', ')} must not set securityContext.runAsNonRoot=false)`;
  const implicit = containersOf(spec).filter(
    (c) => sc(c).runAsNonRoot === undefined && pod !== true,
  );
  return implicit.length
    ? `runAsNonRoot != true (pod or containers ${names(implicit)} must set securityContext.runAsNonRoot=true)`
    : undefined;
};

const runAsUser: PodCheck = (_m, spec) => {
  const setters: string[] = [];
  if (podSc(spec).runAsUser === 0) setters.push('pod');
  const cs = containersOf(spec).filter((c) => sc(c).runAsUser === 0);
  if (cs.length) setters.push(`containers ${names(cs)}`);
  return setters.length
    ? `runAsUser=0 (${setters.join(', ')} must not set runAsUser=0)`
    : undefined;
};

const seccompRestricted: PodCheck = (_m, spec) => {
  const pod = podSc(spec).seccompProfile;
  const setters: string[] = [];
  let podSet = false;
  if (isRecord(pod)) {
    if (!validSeccomp(pod.type)) setters.push('pod');
    else podSet = true;
  }
  const explicit = containersOf(spec).filter(
    (c) => isRecord(sc(c).seccompProfile) && !validSeccomp(sc(c).seccompProfile?.type),
  );
  if (explicit.length) setters.push(`containers ${names(explicit)}`);
  if (setters.length)
    return `seccompProfile (${setters.join(', ')} must not set securityContext.seccompProfile.type to a value other than RuntimeDefault or Localhost)`;
  const implicit = containersOf(spec).filter((c) => !isRecord(sc(c).seccompProfile) && !podSet);
  return implicit.length
    ? `seccompProfile (pod or containers ${names(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`
    : undefined;
};

const capabilitiesRestricted: PodCheck = (_m, spec) => {
  const missingDrop = containersOf(spec).filter(
    (c) => !stringList(sc(c).capabilities?.drop).includes('ALL'),
  );
  const adding = containersOf(spec).filter((c) =>
    stringList(sc(c).capabilities?.add).some((a) => a !== 'NET_BIND_SERVICE'),
  );
  const parts: string[] = [];
  if (missingDrop.length)
    parts.push(
      `containers ${names(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`,
    );
  if (adding.length)
    parts.push(`containers ${names(adding)} must not add capabilities other than NET_BIND_SERVICE`);
  return parts.length ? `unrestricted capabilities (${parts.join('; ')})` : undefined;
};

const allowedVolumeSources = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const restrictedVolumes: PodCheck = (_m, spec) => {
  const bad: string[] = [];
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isRecord(v)) continue;
    const sources = Object.keys(v).filter(
      (k) => k !== 'name' && v[k] !== null && v[k] !== undefined,
    );
    const source = sources[0] ?? 'unknown';
    if (!allowedVolumeSources.has(source)) bad.push(`"${String(v.name)}" (${source})`);
  }
  return bad.length ? `restricted volume types (volumes ${bad.join(', ')})` : undefined;
};

const definitions: readonly CheckDefinition[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ minor: 0, check: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', versions: [{ minor: 0, check: privileged }] },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    versions: [{ minor: 0, check: capabilitiesBaseline }],
  },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ minor: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ minor: 0, check: hostPorts }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minor: 0, check: appArmor }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minor: 0, check: seLinux(seLinux1_0) },
      { minor: 31, check: seLinux(seLinux1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { minor: 0, check: procMount },
      { minor: 35, check: unlessUserNamespace(procMount) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { minor: 0, check: seccompBaseline1_0 },
      { minor: 19, check: seccompBaseline1_19 },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minor: 0, check: sysctls(sysctls1_0) },
      { minor: 27, check: sysctls(sysctls1_27) },
      { minor: 29, check: sysctls(sysctls1_29) },
      { minor: 32, check: sysctls(sysctls1_32) },
      { minor: 37, check: sysctls(sysctls1_37) },
    ],
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    versions: [{ minor: 0, check: windowsHostProcess }],
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    versions: [{ minor: 34, check: hostProbes }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minor: 8, check: allowPrivilegeEscalation },
      { minor: 25, check: unlessWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { minor: 0, check: runAsNonRoot },
      { minor: 35, check: unlessUserNamespace(runAsNonRoot) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { minor: 23, check: runAsUser },
      { minor: 35, check: unlessUserNamespace(runAsUser) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minor: 19, check: seccompRestricted, overrides: ['seccompProfile_baseline'] },
      {
        minor: 25,
        check: unlessWindows(seccompRestricted),
        overrides: ['seccompProfile_baseline'],
      },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minor: 22, check: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      {
        minor: 25,
        check: unlessWindows(capabilitiesRestricted),
        overrides: ['capabilities_baseline'],
      },
    ],
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    versions: [{ minor: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }],
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    versions: [{ minor: 35, check: procMount, overrides: ['procMount'] }],
  },
];

/** Every violation of `policy` by the pod, in the reference's check order. */
export function evaluatePodSecurity(
  policy: PodSecurityPolicy,
  meta: Workload['meta'],
  spec: PodSpec,
): PodSecurityViolation[] {
  if (policy.level === 'privileged') return [];
  const applicable: { id: string; check: VersionedCheck }[] = [];
  for (const definition of definitions) {
    if (definition.level === 'restricted' && policy.level !== 'restricted') continue;
    const version = [...definition.versions].reverse().find((v) => v.minor <= policy.version.minor);
    if (version) applicable.push({ id: definition.id, check: version });
  }
  const overridden = new Set(applicable.flatMap((a) => a.check.overrides ?? []));
  const violations: PodSecurityViolation[] = [];
  for (const { id, check } of applicable) {
    if (overridden.has(id)) continue;
    const reason = check.check(meta, spec);
    if (reason !== undefined) violations.push({ id, reason });
  }
  return violations;
}
