/**
 * The sandbox cluster: a real Kubernetes control plane (etcd, kube-apiserver with RBAC and Pod
 * Security admission, kube-controller-manager, kube-scheduler) with kwok simulating nodes and
 * pods, and a tiny volume provisioner. No container runtime. See docs/sandbox.md.
 *
 * - `startSandbox(options?)` starts it (building the programs once if needed); idempotent:
 *   `started` is false when it was already running.
 * - `stopSandbox(options?)` stops every process and verifies none is left.
 * - `sandboxStatus(options?)` reports each component.
 * - `sandboxKubeconfigPath(options?)` is the admin kubeconfig's path.
 */
export { sandboxKubeconfigPath, sandboxStatus, startSandbox, stopSandbox } from './lifecycle.ts';
export type {
  ComponentStatus,
  SandboxOptions,
  SandboxStatus,
  StartOptions,
  StartResult,
  StopOptions,
} from './types.ts';
export { Component } from './types.ts';
