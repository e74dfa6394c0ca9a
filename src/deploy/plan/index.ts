/** Apply planning: pure ordering of objects into phases, and the PVC-consumer relation. */
export * from './phases.ts';
export * from './plan.ts';
export * from './consumers.ts';
