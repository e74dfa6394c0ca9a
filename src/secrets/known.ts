/**
 * Masking with the secret values berth itself knows (its environment: the Discord token, the LLM
 * key, the dashboard's hash; the values of Secrets it may read) on top of the pattern table.
 * Pure. The one masker `berth serve` uses for notifications, stored incident evidence, the
 * dashboard and LLM prompts (ADR 0145).
 */
import { maskSecrets } from './find.ts';

/** Values shorter than this are not masked as known secrets (they would mask ordinary words). */
export const minKnownSecretLength = 6;

/**
 * `text` with each known value replaced by `[secret-N]` (the same N for the same value, longest
 * first, so the model can still say "the two keys differ"), then the pattern table applied.
 */
export function maskWithKnown(text: string, known: readonly string[] = []): string {
  let out = text;
  const values = [...new Set(known.filter((v) => v.length >= minKnownSecretLength))].sort(
    (a, b) => b.length - a.length,
  );
  values.forEach((value, i) => {
    out = out.split(value).join(`[secret-${i + 1}]`);
  });
  return maskSecrets(out);
}

/** Names of environment variables that hold a secret (BERTH_DASHBOARD_TOKEN, OPENAI_API_KEY, …). */
const secretEnvName =
  /(?:TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|_HASH|WEBHOOK(?:_URL)?|_DSN)$/i;

/** The values of the environment's secret-named variables. */
export function secretValuesOfEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => secretEnvName.test(name) && value !== undefined)
    .map(([, value]) => value as string)
    .filter((v) => v.length >= minKnownSecretLength);
}

/**
 * A masker whose known values can grow (the Secrets read later): `mask` is a plain function, so
 * it can be handed to the notifier, the state store and the dashboard as is.
 */
export class SecretMasker {
  private values: string[];

  constructor(known: readonly string[] = []) {
    this.values = [...known];
  }

  /** Adds values (for example the Secrets just read); returns all the known ones. */
  add(values: readonly string[]): readonly string[] {
    for (const v of values) if (!this.values.includes(v)) this.values.push(v);
    return this.values;
  }

  known(): readonly string[] {
    return this.values;
  }

  readonly mask = (text: string): string => maskWithKnown(text, this.values);
}
