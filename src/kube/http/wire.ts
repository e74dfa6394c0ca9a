/**
 * Small pure helpers of the HTTP adapter: query strings, refs of objects, the Scale and warning
 * wire formats, draining a response body.
 */
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import type { Scale } from '../api.ts';

export function withQuery(path: string, query: URLSearchParams): string {
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

export function refWithNamespace(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function scaleOf(text: string): Scale {
  const s = JSON.parse(text) as {
    spec?: { replicas?: number };
    status?: { replicas?: number; selector?: string };
    metadata?: { resourceVersion?: string };
  };
  return {
    replicas: s.spec?.replicas ?? 0,
    statusReplicas: s.status?.replicas ?? 0,
    selector: s.status?.selector ?? '',
    resourceVersion: s.metadata?.resourceVersion ?? '',
  };
}

export async function readAll(body: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `299 - "message"` warning headers, as kubectl prints them. */
export function warningsOf(list: readonly string[]): string[] {
  return list.map((w) => {
    const m = /^\s*\d{3} \S+ "(.*)"\s*$/s.exec(w);
    return (m?.[1] ?? w).replace(/\\"/g, '"');
  });
}
