/**
 * The workspace spec: Kubernetes-style documents (`apiVersion: berth.dev/v1alpha1`) describing a
 * platform, its agents, agent pools, services, stores and secrets. Public surface of `src/spec`
 * (pure; reading a workspace from files is `loadWorkspace` in `./adapters/files.ts`).
 */
export { SPEC_API_VERSION, isSpecDocument } from './api-version.ts';
export type { Workspace } from './workspace.ts';
export { validateWorkspace } from './workspace.ts';
export { specJsonSchema } from './schema/json-schema.ts';
export type { Component, ComponentKind, SecretEntry } from './workspace.ts';
export { fieldDocs, specReference } from './schema/docs.ts';
export { kinds } from './schema/kinds.ts';
