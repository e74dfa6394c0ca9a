/**
 * The service's core (ADR 0100): self-audit, then the shared Lease elector. The acting parts
 * (watchdog, autoscaler) join through `onLeader`/`onStandby`; `berth serve` assembles them in
 * adapters/serve.ts. `stop()` hands the lease back.
 */
import { BerthError, ErrorCode } from '../errors.ts';
import type { KubeApi } from '../kube/api.ts';
import { LeaseElector, type Clock } from '../kube/leader.ts';
import { auditOwnPower } from './adapters/self-audit.ts';
import type { Excess, NeededRules } from './self-audit.ts';

/** The identity can do more than berth needs: a cluster setup problem (exit 1), not a bug. */
export class ExcessPowerError extends BerthError {
  constructor(readonly excess: Excess[]) {
    super(
      ErrorCode.cluster,
      `refusing to start: this identity can do more than berth needs:\n` +
        excess.map((e) => `  ${e.id}: ${e.rule} (${e.message})`).join('\n') +
        '\nbind the generated Role instead, or start with --allow-excess-power',
    );
    this.name = 'ExcessPowerError';
  }
}

export interface ServiceOptions {
  api: KubeApi;
  identity: string;
  /** Namespace of the Lease (and of the self-audit unless `auditNamespaces`). */
  namespace: string;
  /** Namespaces the self-audit reviews. @default [namespace] */
  auditNamespaces?: readonly string[];
  /** The rules berth's generated role grants (ADR 0141): anything beyond is an excess. */
  auditNeeded?: NeededRules;
  /** Review every namespace too (the watchdog watches all of them). @default false */
  auditAllNamespaces?: boolean;
  /** @default 'berth-service' */
  leaseName?: string;
  /** @default 15 */
  leaseSeconds?: number;
  clock: Clock;
  /** Start despite excess power, reporting each. @default false */
  allowExcessPower?: boolean;
  log: (line: string) => void;
  onLeader?: () => void;
  onStandby?: () => void;
}

export interface RunningService {
  elector: LeaseElector;
  excess: Excess[];
  stop(): Promise<void>;
}

export async function startService(o: ServiceOptions): Promise<RunningService> {
  const { excess, incomplete, notes } = await auditOwnPower(
    o.api,
    o.auditNamespaces ?? [o.namespace],
    {
      ...(o.auditNeeded ? { needed: o.auditNeeded } : {}),
      ...(o.auditAllNamespaces ? { allNamespaces: true } : {}),
    },
  );
  for (const note of notes) o.log(`self-audit: ${note}`);
  for (const ns of incomplete)
    o.log(`self-audit: the review of ${ns} is incomplete (webhook authorizer)`);
  if (excess.length > 0 && !o.allowExcessPower) throw new ExcessPowerError(excess);
  for (const e of excess) o.log(`excess power (allowed by flag): ${e.id}: ${e.rule}`);
  const elector = new LeaseElector(o.api, {
    namespace: o.namespace,
    name: o.leaseName ?? 'berth-service',
    identity: o.identity,
    clock: o.clock,
    fieldManager: 'berth-service',
    ...(o.leaseSeconds !== undefined ? { leaseSeconds: o.leaseSeconds } : {}),
    onChange: (leader, why) => {
      o.log(`${o.identity}: ${leader ? 'leader' : 'standby'} (${why})`);
      if (leader) o.onLeader?.();
      else o.onStandby?.();
    },
  });
  elector.start();
  return { elector, excess, stop: () => elector.stop() };
}
