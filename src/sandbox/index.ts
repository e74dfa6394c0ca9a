/**
 * The sandbox cluster: a real Kubernetes control plane (etcd, kube-apiserver with RBAC and Pod
 * Security admission, kube-controller-manager, kube-scheduler) with kwok simulating nodes and
 * pods, and a tiny volume provisioner. No container runtime. See docs/sandbox.md.
 */
import { BerthError, ErrorCode } from '../errors.ts';
import { sandboxPaths } from './paths.ts';
import { sandboxVersions } from './versions.ts';
import type {
  SandboxOptions,
  SandboxStatus,
  StartOptions,
  StartResult,
  StopOptions,
} from './types.ts';

export type {
  ComponentStatus,
  SandboxOptions,
  SandboxStatus,
  StartOptions,
  StartResult,
  StopOptions,
} from './types.ts';
export { Component } from './types.ts';

/** Starts the sandbox (building it first if needed); idempotent. */
export function startSandbox(_options: StartOptions = {}): Promise<StartResult> {
  return Promise.reject(new BerthError(ErrorCode.sandbox, 'sandbox: not implemented yet'));
}

/** Stops every process of the sandbox and verifies none is left. */
export function stopSandbox(_options: StopOptions = {}): Promise<void> {
  return Promise.reject(new BerthError(ErrorCode.sandbox, 'sandbox: not implemented yet'));
}

/** Reports each component: process alive, health endpoint answering. */
export function sandboxStatus(_options: SandboxOptions = {}): Promise<SandboxStatus> {
  return Promise.reject(new BerthError(ErrorCode.sandbox, 'sandbox: not implemented yet'));
}

/** The path of the sandbox's admin kubeconfig (whether or not it is running). */
export function sandboxKubeconfigPath(options: SandboxOptions = {}): string {
  return sandboxPaths({
    name: options.name ?? 'default',
    kubernetesVersion: sandboxVersions().kubernetes,
    env: options.env ?? process.env,
  }).kubeconfig;
}
