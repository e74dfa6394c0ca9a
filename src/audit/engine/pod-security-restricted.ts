/** The restricted checks of the pod-security-admission reference (policy/check_*.go), as pure functions. */
import { isRecord, stringList } from './pods.ts';
import { validSeccomp } from './pod-security-baseline.ts';
import { containersOf, names, podSc, sc, type PodCheck } from './pod-security-helpers.ts';

export const allowPrivilegeEscalation: PodCheck = (_m, spec) => {
  const bad = containersOf(spec).filter((c) => sc(c).allowPrivilegeEscalation !== false);
  return bad.length
    ? `allowPrivilegeEscalation != false (containers ${names(bad)} must set securityContext.allowPrivilegeEscalation=false)`
    : undefined;
};

export const runAsNonRoot: PodCheck = (_m, spec) => {
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

export const runAsUser: PodCheck = (_m, spec) => {
  const setters: string[] = [];
  if (podSc(spec).runAsUser === 0) setters.push('pod');
  const cs = containersOf(spec).filter((c) => sc(c).runAsUser === 0);
  if (cs.length) setters.push(`containers ${names(cs)}`);
  return setters.length
    ? `runAsUser=0 (${setters.join(', ')} must not set runAsUser=0)`
    : undefined;
};

export const seccompRestricted: PodCheck = (_m, spec) => {
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

export const capabilitiesRestricted: PodCheck = (_m, spec) => {
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

export const restrictedVolumes: PodCheck = (_m, spec) => {
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
