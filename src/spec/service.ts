/**
 * Where berth's own service is declared (ADR 0115), pure: the Watchdog document's `service`
 * section (then the service runs the watchdog, and the autoscaler when pools use engine berth),
 * else the Platform's `autoscaling.service` (the autoscaler alone). Shared by validation and the
 * renderer so both agree on the name, namespace and what the service runs.
 */
import type { BerthServiceSpec } from './schema/berth-service.ts';
import type { WatchdogEntry, Workspace } from './workspace.ts';

export interface BerthServiceDecl {
  spec: BerthServiceSpec;
  /** Name of its objects and of its ServiceAccount. */
  name: string;
  namespace: string;
  /** The owner rendered objects are filed under: the Watchdog document's name, else the platform's. */
  component: string;
  /** Present when the service runs the watchdog. */
  watchdog?: WatchdogEntry;
}

/** The namespace the autoscaler runs in when no service says otherwise. */
export function autoscalingNamespace(ws: Workspace): string {
  const p = ws.platform.spec;
  return p.autoscaling.namespace ?? p.namespace ?? ws.platform.name;
}

export function berthServiceOf(ws: Workspace): BerthServiceDecl | undefined {
  const wd = ws.watchdog;
  if (wd?.spec.service) {
    const spec = wd.spec.service;
    return { spec, name: spec.name, namespace: wd.namespace, component: wd.name, watchdog: wd };
  }
  const spec = ws.platform.spec.autoscaling.service;
  if (!spec) return undefined;
  return {
    spec,
    name: spec.name,
    namespace: autoscalingNamespace(ws),
    component: ws.platform.name,
  };
}

/** Declared secrets the service consumes: its envFrom, the dashboard's credentials, the LLM key. */
export function serviceSecretNames(decl: BerthServiceDecl): string[] {
  const names = new Set([...decl.spec.envFrom, decl.spec.dashboard.authSecret]);
  const key = decl.watchdog?.spec.llm?.apiKey?.secret;
  if (key !== undefined) names.add(key);
  return [...names].sort();
}
