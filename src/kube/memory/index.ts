/** The Kubernetes port in memory, for unit tests (ADR 0060). */
export { MemoryKube } from './memory-kube.ts';
export type { MemoryKubeOptions } from './options.ts';
