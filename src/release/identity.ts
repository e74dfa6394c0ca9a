/**
 * A release: the set of objects one `berth apply` ships, named after the Platform (or
 * `--release`), with its home namespace, where its history, ApplySet parent and lock live.
 */
import { UsageError } from '../errors.ts';

export interface ReleaseRef {
  name: string;
  /** The namespace that holds the release's revisions, ApplySet parent and lock. */
  namespace: string;
}

/** The object names berth keeps per release, all in the release namespace. */
export function releaseObjectNames(release: ReleaseRef): {
  /** The ApplySet parent (a Secret, as `kubectl apply --applyset=NAME` defaults to). */
  parent: string;
  /** The Lease that locks the release. */
  lease: string;
} {
  return { parent: `berth.release.${release.name}`, lease: `berth-release-${release.name}` };
}

/** The Secret holding revision `n`, as Helm names its own (`sh.helm.release.v1.NAME.vN`). */
export function revisionSecretName(release: string, n: number): string {
  return `berth.release.v1.${release}.v${n}`;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a release name: a DNS label of at most 53 characters (room for the suffixes above). */
export function checkReleaseName(name: string): string {
  if (name.length > 53 || !dnsLabel.test(name))
    throw new UsageError(
      `release name "${name}": must be lower-case letters, digits and '-', at most 53 characters, starting and ending alphanumeric`,
    );
  return name;
}
