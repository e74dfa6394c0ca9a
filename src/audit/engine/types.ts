/**
 * The data audit exchanges: what a check sees (an `AuditContext` of located objects and
 * Dockerfiles), what it returns (findings with optional fixes), and the check contract itself.
 * Pure types, no behaviour.
 */
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import type { SchemaSet } from '../schema/types.ts';
import type { DockerfileModel } from './dockerfile-model.ts';
import type { AuditIndex } from './index-objects.ts';

export const Severity = { error: 'error', warning: 'warning', info: 'info' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Higher is more severe; used for `--fail-on` and sorting. */
export const severityRank: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

export const CheckCategory = {
  security: 'security',
  podSecurity: 'pod-security',
  reliability: 'reliability',
  network: 'network',
  rbac: 'rbac',
  hygiene: 'hygiene',
  dockerfile: 'dockerfile',
  crossCheck: 'cross-check',
} as const;
export type CheckCategory = (typeof CheckCategory)[keyof typeof CheckCategory];

/**
 * Where an object came from: a file we can edit, stdin, a berth spec we rendered, or an item of
 * a `kind: List` document (not edited in place). Only `file` objects are fixed.
 */
export const Origin = {
  file: 'file',
  stdin: 'stdin',
  rendered: 'rendered',
  listItem: 'list-item',
} as const;
export type Origin = (typeof Origin)[keyof typeof Origin];

/** One Kubernetes object with the means to say where its fields are. */
export interface LocatedObject {
  object: KubeObject;
  file: string;
  /** 0-based index of the document in its file. */
  documentIndex: number;
  origin: Origin;
  /** 1-based line of the field at `path` (or of its nearest existing ancestor). */
  lineOf(path: readonly PathSegment[]): number;
}

/**
 * A change to one object, as data. Paths are relative to the object's root. Every op is
 * idempotent: applying it to an already-fixed object changes nothing.
 */
export type FixOp =
  /** Set the value at `path` (creating parents) unless it already equals `value`; `comment`
   *  goes at the end of a newly written scalar's line (why berth chose the value). */
  | { op: 'set'; path: PathSegment[]; value: unknown; comment?: string }
  /** Append `value` to the sequence at `path` (created if absent) unless an equal item exists;
   *  with `matchKey`, an item with the same `matchKey` value counts as existing. */
  | { op: 'append'; path: PathSegment[]; value: unknown; matchKey?: string }
  /** Remove the items of the sequence at `path` that are in `values`. */
  | { op: 'remove-items'; path: PathSegment[]; values: unknown[] };

export interface ObjectFix {
  kind: 'object';
  description: string;
  ops: FixOp[];
}

/** New objects appended to the file of the object the finding is about. */
export interface NewObjectFix {
  kind: 'new-object';
  description: string;
  /** Each with the identity used to append it only once, e.g. `NetworkPolicy/archon/default-deny`. */
  objects: { key: string; value: KubeObject }[];
}

export type Fix = ObjectFix | NewObjectFix;

/** What a check returns: the engine adds check id, severity, remediation and location. */
export interface RawFinding {
  message: string;
  /** The object concerned (absent for Dockerfile and file-level findings). */
  target?: LocatedObject;
  /** Field path inside the target object, for the line number. */
  path?: PathSegment[];
  /** For Dockerfile findings: the file and line. */
  file?: string;
  line?: number;
  /** The fix, when it can be made safely. */
  fix?: Fix;
  /** Why no fix is offered, when the check has fixes in general. */
  unfixableReason?: string;
  /** Overrides the check's severity for this finding (for example warn-mode Pod Security). */
  severity?: Severity;
}

export interface Finding {
  check: string;
  severity: Severity;
  object?: ObjectRef;
  file: string;
  line: number;
  path?: string;
  message: string;
  remediation: string;
  fixable: boolean;
  fix?: Fix;
  /** Internal: where to apply an object fix. */
  location?: { file: string; documentIndex: number; origin: Origin };
}

export interface AuditContext {
  objects: readonly LocatedObject[];
  dockerfiles: readonly DockerfileModel[];
  index: AuditIndex;
  settings: AuditSettings;
  /** OpenAPI schemas for `schema-validation` (absent: the check reports nothing). */
  schemas?: SchemaSet;
}

/** Knobs checks read. Every field has a default in `defaultSettings`. */
export interface AuditSettings {
  /** Pod Security level for namespaces without an enforce label, or absent from the input.
   * @default 'restricted' */
  podSecurityDefaultLevel: PodSecurityLevel;
  /** Pod Security version used with the default level. @default 'latest' */
  podSecurityDefaultVersion: string;
  /** Seconds a pod needs to drain connections after preStop. @default 5 */
  drainSeconds: number;
  /** Kubernetes minor version `latest` stands for (the project's pinned release). @default 36 */
  latestMinor: number;
  /** The Kubernetes minor the manifests are for (`--kube-version`). @default latestMinor */
  targetMinor?: number;
}

export const PodSecurityLevel = {
  privileged: 'privileged',
  baseline: 'baseline',
  restricted: 'restricted',
} as const;
export type PodSecurityLevel = (typeof PodSecurityLevel)[keyof typeof PodSecurityLevel];

export const defaultSettings: AuditSettings = {
  podSecurityDefaultLevel: 'restricted',
  podSecurityDefaultVersion: 'latest',
  drainSeconds: 5,
  latestMinor: 36,
};

/** What a check declares about itself; docs/checks.md is generated from these. */
export interface CheckMeta {
  /** Stable kebab-case id. */
  id: string;
  severity: Severity;
  category: CheckCategory;
  /** One line: what the check looks for. */
  summary: string;
  /** One sentence: what to do about a finding. */
  remediation: string;
  /** A paragraph or two: why it matters, exact semantics, fix behaviour, disagreements. */
  docs: string;
  /** Whether --fix can fix (some of) its findings. */
  fixable: boolean;
  /** Names of the fixtures under test/audit/fixtures/checks/<id>/ (pass and fail). */
  inputs: 'manifests' | 'dockerfile' | 'both';
}

export interface Check extends CheckMeta {
  run(context: AuditContext): RawFinding[];
}
