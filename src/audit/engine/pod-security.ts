/**
 * Static emulation of the pod-security-admission reference (kubernetes/pod-security-admission,
 * policy/check_*.go): the same checks, the same minimum versions, the same overrides of baseline
 * checks by restricted ones, and the same namespace-label parsing (an invalid level means
 * restricted, an invalid version means latest). Pure: a namespace's labels and a pod in,
 * violations out.
 */
import * as baseline from './pod-security-baseline.ts';
import { unlessUserNamespace, unlessWindows, type PodCheck } from './pod-security-helpers.ts';
import * as restricted from './pod-security-restricted.ts';
import { applyPodDefaults } from './pod-defaults.ts';
import type { PodSpec, Workload } from './pods.ts';
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

const definitions: readonly CheckDefinition[] = [
  {
    id: 'hostNamespaces',
    level: 'baseline',
    versions: [{ minor: 0, check: baseline.hostNamespaces }],
  },
  { id: 'privileged', level: 'baseline', versions: [{ minor: 0, check: baseline.privileged }] },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    versions: [{ minor: 0, check: baseline.capabilitiesBaseline }],
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    versions: [{ minor: 0, check: baseline.hostPathVolumes }],
  },
  { id: 'hostPorts', level: 'baseline', versions: [{ minor: 0, check: baseline.hostPorts }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minor: 0, check: baseline.appArmor }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minor: 0, check: baseline.seLinux(baseline.seLinux1_0) },
      { minor: 31, check: baseline.seLinux(baseline.seLinux1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { minor: 0, check: baseline.procMount },
      { minor: 35, check: unlessUserNamespace(baseline.procMount) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { minor: 0, check: baseline.seccompBaseline1_0 },
      { minor: 19, check: baseline.seccompBaseline1_19 },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minor: 0, check: baseline.sysctls(baseline.sysctls1_0) },
      { minor: 27, check: baseline.sysctls(baseline.sysctls1_27) },
      { minor: 29, check: baseline.sysctls(baseline.sysctls1_29) },
      { minor: 32, check: baseline.sysctls(baseline.sysctls1_32) },
      { minor: 37, check: baseline.sysctls(baseline.sysctls1_37) },
    ],
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    versions: [{ minor: 0, check: baseline.windowsHostProcess }],
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    versions: [{ minor: 34, check: baseline.hostProbes }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minor: 8, check: restricted.allowPrivilegeEscalation },
      { minor: 25, check: unlessWindows(restricted.allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { minor: 0, check: restricted.runAsNonRoot },
      { minor: 35, check: unlessUserNamespace(restricted.runAsNonRoot) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { minor: 23, check: restricted.runAsUser },
      { minor: 35, check: unlessUserNamespace(restricted.runAsUser) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minor: 19, check: restricted.seccompRestricted, overrides: ['seccompProfile_baseline'] },
      {
        minor: 25,
        check: unlessWindows(restricted.seccompRestricted),
        overrides: ['seccompProfile_baseline'],
      },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minor: 22, check: restricted.capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      {
        minor: 25,
        check: unlessWindows(restricted.capabilitiesRestricted),
        overrides: ['capabilities_baseline'],
      },
    ],
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    versions: [{ minor: 0, check: restricted.restrictedVolumes, overrides: ['hostPathVolumes'] }],
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    versions: [{ minor: 35, check: baseline.procMount, overrides: ['procMount'] }],
  },
];

/** Every violation of `policy` by the pod, in the reference's check order. */
export function evaluatePodSecurity(
  policy: PodSecurityPolicy,
  meta: Workload['meta'],
  rawSpec: PodSpec,
): PodSecurityViolation[] {
  if (policy.level === 'privileged') return [];
  // Admission sees the pod after the API server's defaulting.
  const spec = applyPodDefaults(rawSpec);
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
