/**
 * Reading what the user points berth at — manifests, stdin, berth specs, Helm charts,
 * kustomizations, Dockerfiles — into located Kubernetes objects. Shared by `berth audit` and
 * `berth apply` (docs/audit.md "Inputs", docs/deploy.md "Input", ADR 0080).
 */
export { loadInputs } from './load.ts';
export { displayPath } from './paths.ts';
export { helmVersion, findHelm, findKustomize } from './tools.ts';
export type {
  ChartOptions,
  DockerfileSource,
  InputObject,
  InputProblem,
  LoadedInput,
  LoadOptions,
  SourceFile,
} from './types.ts';
export { Origin, Producer } from './types.ts';
