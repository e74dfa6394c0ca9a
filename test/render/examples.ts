/** The four examples the tests render, and where their golden files live. */
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const examples = ['openclaw-agents', 'archon', 'platform-engineer', 'vapora'] as const;
export const exampleDir = (name: string) => join(root, 'examples', name);
export const goldenFile = (name: string) => join(root, 'test', 'golden', `${name}.yaml`);
