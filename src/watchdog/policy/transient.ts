/**
 * Seed 003's transient-cause rule as a classifier: "if a clear transient cause (OOM, config
 * parse, missing secret) is visible, restart; otherwise notify with the log excerpt". Reads the
 * last termination reason and exit code and the log tail (untrusted text: only matched against
 * fixed patterns, never interpreted). Pure; table-tested in transient.test.ts.
 */
import type { Termination } from '../model.ts';

export interface TransientVerdict {
  transient: boolean;
  /** Stable id of the rule that decided (`oom-killed`, `config-parse`, `missing-secret`, `unknown`...). */
  rule: string;
  /** Why, for the message. */
  because: string;
}

interface Rule {
  id: string;
  transient: boolean;
  because: string;
  matches(t: Termination | undefined, log: string): boolean;
}

/** Ordered: the first match decides. Permanent causes come first so they win over a loose match. */
export const transientRules: readonly Rule[] = [
  {
    id: 'image-or-command',
    transient: false,
    because:
      'the container cannot start (exit 126/127: command not found or not executable); a restart cannot fix it',
    matches: (t) => t?.exitCode === 126 || t?.exitCode === 127,
  },
  {
    id: 'oom-killed',
    transient: true,
    because:
      'the container was OOMKilled; a restart clears the memory (raise the limit if it repeats)',
    matches: (t, log) =>
      t?.reason === 'OOMKilled' ||
      /\b(out of memory|OutOfMemoryError|JavaScript heap out of memory|Cannot allocate memory)\b/i.test(
        log,
      ),
  },
  {
    id: 'missing-secret',
    transient: true,
    because:
      'the log shows a secret or credential that was missing at start (it may exist now: ESO sync, rotation)',
    matches: (_t, log) =>
      /\b(secret|credential|api[_ -]?key|token)s?\b[^\n]{0,80}\b(not found|missing|is not set|not set|empty|required)\b/i.test(
        log,
      ) ||
      /\b(missing|no)\b[^\n]{0,40}\b(secret|credential|api[_ -]?key|token)\b/i.test(log) ||
      /environment variable [A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]* (is )?(not set|missing|required)/i.test(
        log,
      ),
  },
  {
    id: 'config-parse',
    transient: true,
    because:
      'the log shows a configuration parse error at start (the ConfigMap may have been fixed since; a restart loads it)',
    matches: (_t, log) =>
      /\b(yaml|json|toml|config(uration)?)\b[^\n]{0,60}\b(parse|parsing|syntax|unmarshal|invalid|malformed)\b/i.test(
        log,
      ) ||
      /\b(parse|parsing|syntax|unmarshal)\s+error\b[^\n]{0,60}\b(config|yaml|json|toml)\b/i.test(
        log,
      ) ||
      /\bSyntaxError: Unexpected token\b[^\n]{0,60}\bJSON\b/.test(log) ||
      /\b(error|failed)\s+(parsing|to parse|loading|to load)\b[^\n]{0,60}(config|yaml|json|toml|\.ya?ml|\.json)/i.test(
        log,
      ) ||
      /\b(invalid|malformed)\s+(config(uration)?|yaml|json|toml)\b/i.test(log),
  },
  {
    id: 'dependency-unavailable',
    transient: false,
    because:
      'the log shows a dependency that is not reachable (connection refused, DNS); CrashLoopBackOff already retries, a restart does not bring it back',
    matches: (_t, log) =>
      /\b(ECONNREFUSED|connection refused|ENOTFOUND|no such host|i\/o timeout|ETIMEDOUT)\b/i.test(
        log,
      ),
  },
];

export function classifyTermination(
  termination: Termination | undefined,
  logTail: string | undefined,
): TransientVerdict {
  const log = (logTail ?? '').slice(-8192);
  for (const rule of transientRules)
    if (rule.matches(termination, log))
      return { transient: rule.transient, rule: rule.id, because: rule.because };
  return {
    transient: false,
    rule: 'unknown',
    because: termination
      ? `no transient cause visible (last exit ${termination.reason}, code ${termination.exitCode}); a human should read the log`
      : 'no termination record and no transient cause in the log',
  };
}
