/** Fields every runnable component has (Agent, AgentPool, Service, Store). */
import {
  apiAccess,
  connection,
  egress,
  initContainer,
  port,
  probes,
  resources,
  secretKeyRef,
  securityOverrides,
  writablePath,
} from './common.ts';
import { arr, bool, Format, int, map, optional, str } from './dsl.ts';

export const imageFields = {
  allowMutableTag: bool({
    description:
      'Accept an image without a tag or with :latest. Pods then run whatever the registry holds at pull time, so rollbacks are not reproducible.',
    default: false,
  }),
  imagePullPolicy: str({
    description: 'Image pull policy (IfNotPresent is right for pinned tags).',
    enum: ['IfNotPresent', 'Always', 'Never'] as const,
    default: 'IfNotPresent',
  }),
};

export const workloadFields = {
  ...imageFields,
  imagePullSecrets: arr(str({ description: 'Secret name.', format: Format.name }), {
    description: 'Registry credentials for this component, added to the platform imagePullSecrets.',
    default: [],
  }),
  command: optional(
    arr(str({ description: 'Argument.' }), { description: 'Container command (entrypoint).' }),
    'the image ENTRYPOINT',
  ),
  args: optional(
    arr(str({ description: 'Argument.' }), { description: 'Container arguments.' }),
    'the image CMD',
  ),
  env: map(str({ description: 'Value.' }), {
    description: 'Plain environment variables (never secrets: use secretEnv or envFrom).',
    keyFormat: 'env',
    default: {},
  }),
  secretEnv: map(secretKeyRef, {
    description: 'Environment variables read from a key of a declared secret.',
    keyFormat: 'env',
    default: {},
  }),
  envFrom: arr(str({ description: 'Secret document name.', format: Format.name }), {
    description:
      'Declared secrets whose every key becomes an environment variable (envFrom secretRef).',
    default: [],
  }),
  config: map(str({ description: 'Value.' }), {
    description:
      'Non-secret settings rendered as the ConfigMap <component>-config and consumed with envFrom. Its content hash is a pod-template annotation, so a change rolls the pods.',
    keyFormat: 'env',
    default: {},
  }),
  files: map(str({ description: 'File content.' }), {
    description:
      'Files (absolute path → content) rendered into the ConfigMap <component>-files and mounted read-only; hashed like config.',
    keyFormat: 'absolute-path',
    default: {},
  }),
  ports: arr(port, {
    description: 'Ports the container listens on.',
    default: [],
    uniqueBy: 'name',
  }),
  probes,
  resources,
  writablePaths: arr(writablePath, {
    description:
      'Directories the container writes to; each gets an emptyDir (the root filesystem is read-only).',
    default: [],
    uniqueBy: 'path',
  }),
  tmp: bool({
    description: 'Mount an emptyDir at /tmp (size: platform defaults.tmpSizeLimit).',
    default: true,
  }),
  security: securityOverrides,
  terminationGracePeriodSeconds: optional(
    int({ description: 'Seconds between SIGTERM and SIGKILL.', minimum: 1 }),
    'the platform defaults.terminationGracePeriodSeconds (30)',
  ),
  preStopSleepSeconds: optional(
    int({
      description:
        'preStop sleep (lets endpoints drain before SIGTERM) for components behind a Service; must be shorter than the grace period.',
      minimum: 0,
    }),
    'the platform defaults.preStopSleepSeconds (5) when the component exposes a port, else none',
  ),
  nodePool: optional(
    str({
      description: 'Node pool (platform spec.nodePools) to schedule on.',
      format: Format.name,
    }),
    'no node pool: any node',
  ),
  apiAccess: optional(apiAccess, 'no API access: no ServiceAccount token is mounted'),
  connections: arr(connection, {
    description: 'Components this one calls (NetworkPolicy egress here, ingress on the target).',
    default: [],
  }),
  egress: arr(egress, {
    description: 'External destinations this component reaches.',
    default: [],
    uniqueBy: 'name',
  }),
  init: arr(initContainer, { description: 'Init containers.', default: [], uniqueBy: 'name' }),
};
