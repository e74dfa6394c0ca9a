/** How a `MemoryKube` is set up (ADR 0060). */
import type { ObjectRef } from '../../model/object.ts';
import type { CollectionRef } from '../api.ts';

export interface MemoryKubeOptions {
  /** @default 'memory://kube' */
  server?: string;
  /** @default 'default' */
  defaultNamespace?: string;
  /** The clock for timestamps and deadlines. @default Date.now */
  now?: () => number;
  /**
   * Runs before every call (after the deadline check): throw to inject a failure, await to
   * inject latency. @default none
   */
  onCall?: (call: {
    verb: string;
    ref?: ObjectRef;
    collection?: CollectionRef;
  }) => void | Promise<void>;
  /** Mark CustomResourceDefinitions Established as soon as they are stored. @default true */
  establishCrds?: boolean;
}
