import { identity } from '../engine/index-objects.ts';
import {
  compareLevels,
  evaluatePodSecurity,
  parseLevel,
  parseVersion,
  podSecurityLabel,
  type PodSecurityPolicy,
} from '../engine/pod-security.ts';
import { containerSecurity, isRecord, portsOf, stringList, type Workload } from '../engine/pods.ts';
import type { AuditContext, Check, FixOp, RawFinding } from '../engine/types.ts';
import { nameOf, podSecurityPath, securityPath, set } from './shared/describe.ts';

export const podSecurity: Check = {
  id: 'pod-security',
  severity: 'error',
  category: 'pod-security',
  inputs: 'manifests',
  fixable: true,
  summary:
    "Workloads pass their namespace's Pod Security level, evaluated like the admission plugin.",
  remediation:
    "Harden the pod until it meets its namespace's Pod Security level (see the listed checks of the reference).",
  docs: `A static emulation of the pod-security-admission reference: for each workload, the namespace's
\`pod-security.kubernetes.io/enforce\` and \`enforce-version\` labels pick the level and the
versioned checks (an invalid level counts as \`restricted\`, an invalid version as \`latest\`, as in
the plugin); every baseline and restricted check of the reference is applied to init, app and
ephemeral containers with the reference's semantics (allowPrivilegeEscalation explicitly false,
seccomp on the pod or every container, drop ALL with only NET_BIND_SERVICE added, the allowed
volume types, host namespaces, hostPath, hostPort, sysctls by version, AppArmor, SELinux,
procMount, probe hosts from 1.34, user-namespace relaxations from 1.35). A stricter \`warn\` label
is evaluated too and reported as a warning.

**Where the level comes from.** A namespace defined in the input is read from its labels; a
namespace with no enforce label, or absent from the input, is audited at the configured default
(\`podSecurity.defaultLevel\`, default \`restricted\` at \`latest\`, which stands for the project's
pinned Kubernetes minor, 1.36) — berth's own output enforces \`restricted\`, and an audit that
assumed the cluster default (\`privileged\`) would check nothing.

One finding per workload lists every violated check of the reference. The fix applies the
fixes of \`allow-privilege-escalation\`, \`seccomp-profile\`, \`drop-all-capabilities\` and
\`run-as-non-root\`; when another check of the reference is violated, nothing is fixed
automatically.`,
  run(context) {
    const out: RawFinding[] = [];
    for (const w of context.index.workloads) {
      const { enforce, warn } = policiesFor(context, w.namespace);
      const violations = evaluatePodSecurity(enforce, w.meta, w.spec);
      const label = (p: PodSecurityPolicy): string =>
        `${p.level}:${p.version.latest ? 'latest' : `v1.${p.version.minor}`}`;
      if (violations.length > 0)
        out.push(
          findingFor(
            w,
            violations,
            `would be rejected by Pod Security "${label(enforce)}" in namespace ${w.namespace}`,
          ),
        );
      else if (warn && compareLevels(warn.level, enforce.level) > 0) {
        const warned = evaluatePodSecurity(warn, w.meta, w.spec);
        if (warned.length > 0)
          out.push({
            ...findingFor(
              w,
              warned,
              `draws Pod Security "${label(warn)}" warnings in namespace ${w.namespace}`,
            ),
            severity: 'warning',
          });
      }
    }
    return out;
  },
};

function policiesFor(
  context: AuditContext,
  namespace: string,
): { enforce: PodSecurityPolicy; warn?: PodSecurityPolicy } {
  const { settings, index } = context;
  const ns = index.byIdentity.get(identity('Namespace', '', namespace));
  const labels = isRecord(ns?.object.metadata.labels) ? ns.object.metadata.labels : {};
  const enforceLevel = labels[podSecurityLabel.enforce];
  const enforce: PodSecurityPolicy =
    enforceLevel === undefined
      ? {
          level: settings.podSecurityDefaultLevel,
          version: parseVersion(settings.podSecurityDefaultVersion, settings.latestMinor),
        }
      : {
          level: parseLevel(enforceLevel, 'restricted'),
          version: parseVersion(labels[podSecurityLabel.enforceVersion], settings.latestMinor),
        };
  const warnLevel = labels[podSecurityLabel.warn];
  if (warnLevel === undefined) return { enforce };
  return {
    enforce,
    warn: {
      level: parseLevel(warnLevel, 'privileged'),
      version: parseVersion(labels[podSecurityLabel.warnVersion], settings.latestMinor),
    },
  };
}

const fixableIds = new Set([
  'allowPrivilegeEscalation',
  'seccompProfile_restricted',
  'capabilities_restricted',
  'runAsNonRoot',
]);

function findingFor(
  w: Workload,
  violations: { id: string; reason: string }[],
  what: string,
): RawFinding {
  const finding: RawFinding = {
    target: w.target,
    path: w.specPath,
    message: `${nameOf(w.target)} ${what}: ${violations.map((v) => v.reason).join('; ')}`,
  };
  const ops = violations.every((v) => fixableIds.has(v.id)) ? restrictedOps(w) : undefined;
  if (ops)
    finding.fix = { kind: 'object', description: 'apply the restricted security context', ops };
  else
    finding.unfixableReason = `it violates ${
      violations
        .filter((v) => !fixableIds.has(v.id))
        .map((v) => v.id)
        .join(', ') || 'checks whose fix needs a decision'
    }`;
  return finding;
}

/** The ops that make a pod meet the fixable part of `restricted`, or undefined when one is unsafe. */
function restrictedOps(w: Workload): FixOp[] | undefined {
  const ops: FixOp[] = [];
  const podSc = isRecord(w.spec.securityContext) ? w.spec.securityContext : {};
  if (podSc.runAsNonRoot === false || podSc.runAsUser === 0) return undefined;
  if (
    isRecord(podSc.seccompProfile) &&
    podSc.seccompProfile.type !== 'RuntimeDefault' &&
    podSc.seccompProfile.type !== 'Localhost'
  )
    return undefined;
  if (podSc.runAsNonRoot !== true) ops.push(set(podSecurityPath(w, 'runAsNonRoot'), true));
  if (!isRecord(podSc.seccompProfile))
    ops.push(set(podSecurityPath(w, 'seccompProfile'), { type: 'RuntimeDefault' }));
  for (const c of w.containers) {
    const sc = containerSecurity(c);
    const add = stringList(sc.capabilities?.add);
    if (sc.privileged === true || sc.runAsNonRoot === false || sc.runAsUser === 0) return undefined;
    if (add.some((a) => a !== 'NET_BIND_SERVICE')) return undefined;
    if (
      isRecord(sc.seccompProfile) &&
      sc.seccompProfile.type !== 'RuntimeDefault' &&
      sc.seccompProfile.type !== 'Localhost'
    )
      return undefined;
    if (sc.allowPrivilegeEscalation !== false)
      ops.push(set(securityPath(c, 'allowPrivilegeEscalation'), false));
    if (!stringList(sc.capabilities?.drop).includes('ALL')) {
      ops.push({ op: 'append', path: securityPath(c, 'capabilities', 'drop'), value: 'ALL' });
      if (
        portsOf(c.container).some(
          (p) => typeof p.containerPort === 'number' && p.containerPort < 1024,
        )
      ) {
        ops.push({
          op: 'append',
          path: securityPath(c, 'capabilities', 'add'),
          value: 'NET_BIND_SERVICE',
        });
      }
    }
  }
  return ops;
}
