/** Secret formats (one shared table), finding and masking. Pure; see docs/secrets.md. */
export { findSecrets, hasSecret, maskSecrets } from './find.ts';
export type { FindOptions, MaskOptions, SecretMatch } from './find.ts';
export { maskWithKnown, minKnownSecretLength, SecretMasker, secretValuesOfEnv } from './known.ts';
export { secretPatterns } from './patterns.ts';
export type { SecretPattern } from './patterns.ts';
export { entropyThreshold, shannonEntropy } from './entropy.ts';
