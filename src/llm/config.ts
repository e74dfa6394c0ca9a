/**
 * LLM settings, pure: from environment-style variables (the names seed 003 gives LiteLLM clients)
 * to a checked config. Off unless a base URL and a model are both set. docs/llm.md.
 */

export interface LlmConfig {
  /** OpenAI-compatible base URL, e.g. `http://litellm.llm.svc:4000/v1`. */
  baseURL: string;
  /** Model name the endpoint knows (seed 003: a cheap model for summaries). */
  model: string;
  /** Bearer key; LiteLLM in the cluster may need none. @default '' */
  apiKey: string;
  /** Bound of one explanation, retries included. @default 20_000 */
  timeoutMs: number;
  /** Tokens (prompt + answer) one incident may use in a day. @default 4_000 */
  incidentTokens: number;
  /** Tokens all incidents may use per UTC day. @default 50_000 */
  dailyTokens: number;
  /** Answer cap in tokens (max_tokens). @default 300 */
  answerTokens: number;
  /** Answer cap in characters, after which the text is cut. @default 1_200 */
  answerChars: number;
}

export const llmDefaults = {
  apiKey: '',
  timeoutMs: 20_000,
  incidentTokens: 4_000,
  dailyTokens: 50_000,
  answerTokens: 300,
  answerChars: 1_200,
} as const;

export type LlmEnv = Readonly<Record<string, string | undefined>>;

/** `BERTH_LLM_BASE_URL` (or `OPENAI_BASE_URL`) + `BERTH_LLM_MODEL` turn it on; else `undefined`. */
export function readLlmConfig(env: LlmEnv): { config?: LlmConfig; errors: string[] } {
  const baseURL = env.BERTH_LLM_BASE_URL ?? env.OPENAI_BASE_URL;
  const model = env.BERTH_LLM_MODEL;
  const errors: string[] = [];
  if (!baseURL || !model) return { errors };
  try {
    const u = new URL(baseURL);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      errors.push(`BERTH_LLM_BASE_URL: ${baseURL} is not http(s)`);
  } catch {
    errors.push(`BERTH_LLM_BASE_URL: ${baseURL} is not a URL`);
  }
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) {
      errors.push(`${name}: ${raw} is not a positive integer`);
      return fallback;
    }
    return n;
  };
  const config: LlmConfig = {
    baseURL,
    model,
    apiKey: env.BERTH_LLM_API_KEY ?? env.OPENAI_API_KEY ?? llmDefaults.apiKey,
    timeoutMs: num('BERTH_LLM_TIMEOUT_MS', llmDefaults.timeoutMs),
    incidentTokens: num('BERTH_LLM_INCIDENT_TOKENS', llmDefaults.incidentTokens),
    dailyTokens: num('BERTH_LLM_DAILY_TOKENS', llmDefaults.dailyTokens),
    answerTokens: num('BERTH_LLM_ANSWER_TOKENS', llmDefaults.answerTokens),
    answerChars: num('BERTH_LLM_ANSWER_CHARS', llmDefaults.answerChars),
  };
  return errors.length ? { errors } : { config, errors };
}
