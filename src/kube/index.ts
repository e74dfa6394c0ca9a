/** The Kubernetes port (ADR 0060), its HTTP adapter, informers, kubeconfig and typed errors. */
export * from './api.ts';
export * from './errors.ts';
export { connectKube } from './connect.ts';
export type { ConnectOptions } from './connect.ts';
export { HttpKube } from './http/http-kube.ts';
export { Informer } from './informer.ts';
export type { InformerEvent, InformerOptions } from './informer.ts';
export { MemoryKube } from './memory/index.ts';
export type { MemoryKubeOptions } from './memory/index.ts';
export { findClusterConfig, loadKubeConfig, ConfigSource } from './kubeconfig.ts';
export type { KubeConfigOptions, LoadedKubeConfig } from './kubeconfig.ts';
