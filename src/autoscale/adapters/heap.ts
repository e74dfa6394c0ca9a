/**
 * V8 settings for `berth autoscale run`, a long-running process that is idle most of the time
 * (ADR 0155). Set from inside the process: these three flags are read by V8 at each collection
 * or each scheduling of the memory reducer, not only when the heap is set up, so no wrapper
 * process or NODE_OPTIONS is needed. `berth serve` and library callers of `runAutoscaler` keep
 * V8's defaults (the process is theirs).
 */
import { setFlagsFromString } from 'node:v8';

export const IDLE_CONTROLLER_V8_FLAGS = [
  // Keep the young generation at its initial size (1 MiB): start-up allocations (the Redis
  // client builds its ~500 command methods twice, ~16 MB of short-lived garbage) otherwise grow
  // each semi-space to 16 MiB, and that space stays resident while the process idles (ADR 0131).
  '--semi-space-growth-factor=1',
  // Old-generation limit 1.2 × the live heap after a major GC (V8 picks 1.1-4 × by its speed
  // heuristics): the start-up garbage promoted by the small nursery is collected at ~24 MB
  // instead of ~30 MB. Idle, the controller allocates little, so this adds no collections.
  '--heap-growing-percent=20',
  // The memory reducer (which shrinks the heap once the process goes idle) starts 1 s after the
  // last major GC instead of 8 s: start-up garbage is gone ~10 s after start, not ~30 s.
  '--gc-memory-reducer-start-delay-ms=1000',
];

export function tuneHeapForIdleController(): void {
  setFlagsFromString(IDLE_CONTROLLER_V8_FLAGS.join(' '));
}
