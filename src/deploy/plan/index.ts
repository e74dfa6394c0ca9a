/** Apply planning: pure ordering of objects into phases, and the PVC-consumer relation. */
export * from './phases.ts';
export * from './plan.ts';
export * from './consumers.ts';
// Transitional: src/release (in progress) imports these from here; they live in src/model.
export { groupKindOf as groupKind } from '../../model/group-kind.ts';
export { podSpecOf } from '../../model/pod-template.ts';
