/** Small helpers over the Kubernetes port shared by the release adapters. */
import { FieldManager, type CallOptions, type KubeApi } from '../../kube/api.ts';
import type { KubeObject } from '../../model/object.ts';

/** Every release write is the CLI actor's. */
export const manager = FieldManager.cli;

/** The bounds of every call of an operation that must end by `deadline`. */
export function callBounds(deadline: number, signal?: AbortSignal): CallOptions {
  return signal ? { deadline, signal } : { deadline };
}

/** Sets (the context's default) or removes the namespace as the object's kind requires. */
export async function placeObject(
  api: KubeApi,
  obj: KubeObject,
  options: CallOptions = {},
): Promise<KubeObject> {
  const info = await api.resource(obj.apiVersion, obj.kind, options);
  if (!info) return obj;
  const metadata = { ...obj.metadata };
  if (info.namespaced) metadata.namespace ??= api.defaultNamespace;
  else delete metadata.namespace;
  return { ...obj, metadata };
}
