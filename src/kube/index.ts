/** The Kubernetes client adapter: kubeconfig, server-side apply, get/list/watch, typed errors. */
export * from './errors.ts';
export { KubeClient, FIELD_MANAGER } from './client.ts';
export type { ApiResource, ApplyOptions, ApplyResponse, ClientOptions } from './client.ts';
export { Informer } from './informer.ts';
export type { InformerTarget } from './informer.ts';
export { findClusterConfig, loadKubeConfig, ConfigSource } from './kubeconfig.ts';
export type { KubeConfigOptions, LoadedKubeConfig } from './kubeconfig.ts';
