/**
 * JSON documents kept in a ConfigMap (the ledger, the incident state): survives watchdog restarts
 * and is readable from any machine (`berth watchdog ledger`). Written by server-side apply as
 * `berth-watchdog`; bounded by the callers (ConfigMaps hold at most 1 MiB).
 */
import type { KubeApi } from '../../kube/api.ts';
import { FieldManager, operationBounds } from '../../kube/api.ts';
import { BerthError, ErrorCode } from '../../errors.ts';

export interface JsonStore<T> {
  load(): Promise<T | undefined>;
  save(value: T): Promise<void>;
  readonly description: string;
}

const maxBytes = 900 * 1024;

export class ConfigMapStore<T> implements JsonStore<T> {
  readonly description: string;
  constructor(
    private readonly kube: KubeApi,
    private readonly namespace: string,
    private readonly name: string,
    private readonly key: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.description = `ConfigMap ${namespace}/${name}`;
  }

  async load(): Promise<T | undefined> {
    const cm = await this.kube.get(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace, name: this.name },
      operationBounds(this.timeoutMs),
    );
    const text = (cm as { data?: Record<string, string> } | undefined)?.data?.[this.key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new BerthError(
        ErrorCode.cluster,
        `${this.description} key ${this.key} is not JSON; delete it to start empty`,
        { cause: error },
      );
    }
  }

  async save(value: T): Promise<void> {
    const text = JSON.stringify(value);
    if (text.length > maxBytes)
      throw new BerthError(
        ErrorCode.internal,
        `${this.description}: ${text.length} bytes exceed the ConfigMap bound (${maxBytes})`,
      );
    await this.kube.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: this.name,
          namespace: this.namespace,
          labels: { 'app.kubernetes.io/managed-by': 'berth-watchdog' },
        },
        data: { [this.key]: text },
      },
      { fieldManager: FieldManager.watchdog, force: true, ...operationBounds(this.timeoutMs) },
    );
  }
}

/** For tests and `--no-cluster-state` runs. */
export class MemoryJsonStore<T> implements JsonStore<T> {
  readonly description = 'memory';
  private value: string | undefined;
  load(): Promise<T | undefined> {
    return Promise.resolve(this.value === undefined ? undefined : (JSON.parse(this.value) as T));
  }
  save(value: T): Promise<void> {
    this.value = JSON.stringify(value);
    return Promise.resolve();
  }
}

export const ledgerConfigMap = 'berth-watchdog-ledger';
export const stateConfigMap = 'berth-watchdog-state';
