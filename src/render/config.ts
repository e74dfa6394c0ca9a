/** ConfigMaps (settings and files) and ExternalSecrets, and the hashes pod templates carry. */
import type { KubeObject } from '../model/object.ts';
import type { Component, SecretEntry } from '../spec/workspace.ts';
import {
  componentLabels,
  labelsOf,
  sortedEntries,
  sortedRecord,
  type RenderContext,
} from './context.ts';

import { fileKey } from '../spec/resolve.ts';
import { berthServiceOf, serviceSecretNames as serviceSecrets } from '../spec/service.ts';

export { fileKey };

/** Files a component mounts (its `files`, plus an agent's schedules file), computed once per render. */
export function filesOf(ctx: RenderContext, c: Component): Record<string, string> {
  let files = ctx.filesCache.get(c.name);
  if (!files) {
    files = renderFiles(c);
    ctx.filesCache.set(c.name, files);
  }
  return files;
}

function renderFiles(c: Component): Record<string, string> {
  const files = { ...c.spec.files };
  if (c.kind === 'Agent' && c.spec.schedules.length > 0) {
    const lines = ['# Rendered by berth from spec.schedules.', 'jobs:'];
    for (const s of c.spec.schedules) {
      lines.push(
        `  - name: ${s.name}`,
        `    schedule: ${JSON.stringify(s.schedule)}`,
        `    deliver: ${JSON.stringify(s.deliver)}`,
        `    silentWhenHealthy: ${s.silentWhenHealthy}`,
        `    prompt: ${JSON.stringify(s.prompt)}`,
      );
    }
    files[c.spec.schedulesPath] = `${lines.join('\n')}\n`;
  }
  return files;
}

export function configMapsOf(ctx: RenderContext, c: Component): KubeObject[] {
  const out: KubeObject[] = [];
  const meta = (name: string) => ({
    name,
    namespace: c.namespace,
    labels: componentLabels(ctx, c),
  });
  if (Object.keys(c.spec.config).length > 0)
    out.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${c.name}-config`),
      data: sortedRecord(c.spec.config),
    });
  const files = filesOf(ctx, c);
  if (Object.keys(files).length > 0) {
    const data = Object.fromEntries(
      sortedEntries(files).map(([path, content]) => [fileKey(path), content]),
    );
    out.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${c.name}-files`),
      data: sortedRecord(data),
    });
  }
  return out;
}

/** Names of the declared secrets a component consumes (envFrom, secretEnv, llm.apiKey), sorted. */
function secretsUsedBy(c: Component): string[] {
  const names = new Set(c.spec.envFrom);
  for (const ref of Object.values(c.spec.secretEnv)) names.add(ref.secret);
  if (c.kind === 'Agent' && c.spec.llm?.apiKey) names.add(c.spec.llm.apiKey.secret);
  return [...names].sort();
}

/** Whether the component gets its own `<component>-env` ExternalSecret (platform secrets.perComponent). */
export function hasComponentSecret(ctx: RenderContext, c: Component): boolean {
  return ctx.platform.secrets.perComponent && c.kind !== 'Store';
}

/** The Kubernetes Secret name a declared secret materialises as. */
export function secretNameOf(ctx: RenderContext, name: string): string {
  const s = ctx.ws.secrets.find((x) => x.name === name);
  return s?.spec.existing?.name ?? name;
}

function externalSecret(
  ctx: RenderContext,
  name: string,
  namespace: string,
  labels: Record<string, string>,
  body: Record<string, unknown>,
): KubeObject {
  const s = ctx.platform.secrets;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace, labels },
    spec: {
      refreshInterval: s.refreshInterval,
      secretStoreRef: { kind: s.storeKind, name: s.storeName },
      target: { name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      ...body,
    },
  };
}

function vaultBody(path: string, keys: Record<string, string>): Record<string, unknown> {
  const entries = sortedEntries(keys);
  if (entries.length === 0) return { dataFrom: [{ extract: { key: path } }] };
  return {
    data: entries.map(([secretKey, property]) => ({
      secretKey,
      remoteRef: { key: path, property },
    })),
  };
}

function componentSecretPath(ctx: RenderContext, c: Component): string {
  return ctx.platform.secrets.pathTemplate
    .replaceAll('{platform}', ctx.platformName)
    .replaceAll('{namespace}', c.namespace)
    .replaceAll('{component}', c.name);
}

/** The `<component>-env` ExternalSecret of a component, when perComponent is on. */
export function componentExternalSecret(ctx: RenderContext, c: Component): KubeObject | undefined {
  if (!hasComponentSecret(ctx, c)) return undefined;
  return externalSecret(
    ctx,
    `${c.name}-env`,
    c.namespace,
    componentLabels(ctx, c),
    vaultBody(componentSecretPath(ctx, c), {}),
  );
}

/** ExternalSecrets of declared Vault secrets, one per namespace that consumes them. */
export function sharedExternalSecrets(ctx: RenderContext): KubeObject[] {
  const out: KubeObject[] = [];
  for (const secret of ctx.ws.secrets) {
    if (!secret.spec.vault) continue;
    for (const ns of namespacesUsing(ctx, secret)) {
      out.push(
        externalSecret(
          ctx,
          secret.name,
          ns,
          labelsOf(ctx, ctx.platformName),
          vaultBody(secret.spec.vault.path, secret.spec.vault.keys),
        ),
      );
    }
  }
  return out;
}

function namespacesUsing(ctx: RenderContext, secret: SecretEntry): string[] {
  const ns = new Set(
    ctx.ws.components.filter((c) => secretsUsedBy(c).includes(secret.name)).map((c) => c.namespace),
  );
  const service = berthServiceOf(ctx.ws);
  if (service && serviceSecrets(service).includes(secret.name)) ns.add(service.namespace);
  if (ns.size === 0) ns.add(secret.namespace);
  return [...ns].sort();
}

/** What the pod template hashes: the content of its ConfigMaps, and the specs of its ExternalSecrets. */
export function hashInputs(
  ctx: RenderContext,
  c: Component,
): { config: unknown; secrets: unknown } {
  const config = { config: c.spec.config, files: filesOf(ctx, c) };
  const secrets = secretsUsedBy(c).map((name) => {
    const s = ctx.ws.secrets.find((x) => x.name === name);
    return { name, vault: s?.spec.vault, existing: s?.spec.existing };
  });
  const own = hasComponentSecret(ctx, c) ? componentSecretPath(ctx, c) : undefined;
  return { config, secrets: { secrets, own, store: ctx.platform.secrets } };
}
