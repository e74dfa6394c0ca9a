/**
 * The data the input loader hands to `berth audit` and `berth apply`: Kubernetes objects with
 * where they came from, the problems found while reading them, and the files it read. Plain data,
 * so both commands see the same objects.
 */
import type { KubeObject } from '../model/object.ts';
import type { PathSegment } from '../yaml/stream.ts';
import type { IncompleteDocument } from './parse.ts';

/** How an object reached berth; only `file` objects can be edited in place (audit --fix). */
export const Origin = {
  file: 'file',
  stdin: 'stdin',
  /** Produced by a renderer: a berth spec, a Helm chart, a kustomization. */
  rendered: 'rendered',
  /** An item of a `kind: List` document. */
  listItem: 'list-item',
} as const;
export type Origin = (typeof Origin)[keyof typeof Origin];

/** What produced a rendered object. */
export const Producer = { spec: 'spec', helm: 'helm', kustomize: 'kustomize' } as const;
export type Producer = (typeof Producer)[keyof typeof Producer];

/** One Kubernetes object and the means to say where its fields are. */
export interface InputObject {
  object: KubeObject;
  /** File shown to the user: the manifest, the Helm template (`# Source:`), the kustomize base. */
  file: string;
  /** 0-based index of the document in its file (negative for rendered objects). */
  documentIndex: number;
  origin: Origin;
  /** 1-based line of the field at `path`, or of its nearest ancestor found. */
  lineOf: (path: readonly PathSegment[]) => number;
  /** For rendered objects: what rendered them and from which folder or file. */
  producer?: { kind: Producer; root: string };
}

/** A problem with the input itself: a file that does not parse, an object without a name. */
export interface InputProblem {
  check: 'parse-error' | 'invalid-object';
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

/** A plain YAML file read from disk (the files `audit --fix` may edit). */
export interface SourceFile {
  /** As shown in findings (relative to the working directory when inside it). */
  display: string;
  absolute: string;
  text: string;
}

/** A Dockerfile found in the input, with the lines of the `.dockerignore` next to it (or null). */
export interface DockerfileSource extends SourceFile {
  dockerignore: string[] | null;
}

/** How Helm charts are rendered: the pass-through of `helm template` flags. */
export interface ChartOptions {
  /** @default the chart's name */
  release?: string;
  /** `.Release.Namespace`. @default Helm's (`default`) */
  namespace?: string;
  /** `--values` files, in order (later ones win). @default none */
  values?: string[];
  /** `--set key=value` entries, in order. @default none */
  set?: string[];
  /** `--kube-version` for `.Capabilities.KubeVersion`. @default berth's pinned Kubernetes release (sandbox/versions.json) */
  kubeVersion?: string;
}

export interface LoadOptions {
  cwd: string;
  readStdin: () => Promise<string>;
  /** Process environment, for finding `helm` and `kubectl`/`kustomize`. */
  env: Readonly<Record<string, string | undefined>>;
  chart?: ChartOptions;
  /** Also collect Dockerfiles while walking folders (audit). @default false */
  dockerfiles?: boolean;
  /** Absolute path → text to use instead of the file's (a fix plan being checked). */
  overrides?: ReadonlyMap<string, string>;
  /** Deadline for each `helm template` / `kustomize build`, in ms. @default 60000 */
  toolTimeoutMs?: number;
  /** Largest input file read, in bytes; 0 for no limit (size-cap.ts). @default 64 MiB */
  maxFileBytes?: number;
}

export interface LoadedInput {
  objects: InputObject[];
  problems: InputProblem[];
  /** Charts or kustomizations that could not be rendered (no helm, a chart error): fatal. */
  errors: { file: string; message: string; hint?: string }[];
  dockerfiles: DockerfileSource[];
  /** Editable YAML sources by display path. */
  sources: Map<string, SourceFile>;
  /** Files read (a chart or a kustomization counts once). */
  files: number;
  /** Files with a parse error (or an unrendered template). */
  unparseableFiles: number;
  /** Documents that are not Kubernetes objects (values files, empty documents are not counted). */
  skippedDocuments: number;
  /** Documents with some of apiVersion, kind, metadata but not apiVersion and kind. */
  incomplete: IncompleteDocument[];
  /** YAML parses made: one per file read (the parse-once guarantee, checked by the tests). */
  parses: number;
  /** Rendered from a berth spec (apply reports its input kind). */
  specObjects: number;
}
