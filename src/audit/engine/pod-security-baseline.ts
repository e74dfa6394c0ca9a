/** The baseline checks of the pod-security-admission reference (policy/check_*.go), as pure functions. */
import { isRecord, stringList } from './pods.ts';
import { containersOf, names, podSc, sc, type PodCheck } from './pod-security-helpers.ts';

export const hostNamespaces: PodCheck = (_m, spec) => {
  const bad = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true);
  return bad.length ? `host namespaces (${bad.map((k) => `${k}=true`).join(', ')})` : undefined;
};

export const privileged: PodCheck = (_m, spec) => {
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

export const capabilitiesBaseline: PodCheck = (_m, spec) => {
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

export const hostPathVolumes: PodCheck = (_m, spec) => {
  const bad = (Array.isArray(spec.volumes) ? spec.volumes : []).filter(
    (v) => isRecord(v) && v.hostPath !== undefined && v.hostPath !== null,
  );
  return bad.length
    ? `hostPath volumes (volumes ${bad.map((v) => `"${String(v.name)}"`).join(', ')})`
    : undefined;
};

export const hostPorts: PodCheck = (_m, spec) => {
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

export const appArmor: PodCheck = (meta, spec) => {
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

export function seLinux(allowed: ReadonlySet<string>): PodCheck {
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
export const seLinux1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
export const seLinux1_31 = new Set([...seLinux1_0, 'container_engine_t']);

export const procMount: PodCheck = (_m, spec) => {
  const cs = containersOf(spec).filter(
    (c) =>
      sc(c).procMount !== undefined && sc(c).procMount !== null && sc(c).procMount !== 'Default',
  );
  return cs.length
    ? `procMount (containers ${names(cs)} must not set securityContext.procMount to a non-Default value)`
    : undefined;
};

export const validSeccomp = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';

export const seccompBaseline1_0: PodCheck = (meta, spec) => {
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

export const seccompBaseline1_19: PodCheck = (_m, spec) => {
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

export const sysctls1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
export const sysctls1_27 = [...sysctls1_0, 'net.ipv4.ip_local_reserved_ports'];
export const sysctls1_29 = [
  ...sysctls1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
export const sysctls1_32 = [...sysctls1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
export const sysctls1_37 = [
  ...sysctls1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
];

export function sysctls(allowed: readonly string[]): PodCheck {
  const set = new Set(allowed);
  return (_m, spec) => {
    const list = Array.isArray(podSc(spec).sysctls) ? (podSc(spec).sysctls ?? []) : [];
    const bad = list
      .filter((s) => isRecord(s) && !set.has(String(s.name)))
      .map((s) => String(s.name));
    return bad.length ? `forbidden sysctls (${bad.join(', ')})` : undefined;
  };
}

export const windowsHostProcess: PodCheck = (_m, spec) => {
  const bad: string[] = [];
  if (podSc(spec).windowsOptions?.hostProcess === true) bad.push('pod');
  const cs = containersOf(spec).filter((c) => sc(c).windowsOptions?.hostProcess === true);
  if (cs.length) bad.push(`containers ${names(cs)}`);
  return bad.length
    ? `hostProcess (${bad.join(', ')} must not set securityContext.windowsOptions.hostProcess=true)`
    : undefined;
};

export const hostProbes: PodCheck = (_m, spec) => {
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
