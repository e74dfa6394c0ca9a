/**
 * The port over the official `openai` client (v6) with a base URL, so any OpenAI-compatible
 * endpoint works (LiteLLM, Ollama, vLLM). No tools are offered, the answer is read as text only.
 * One retry: after a 429 it waits the Retry-After (when it fits the deadline), after a 5xx or a
 * connection error briefly; the client's own retries are off so the deadline holds.
 */
import OpenAI, { APIConnectionError, APIError } from 'openai';
import { estimateTokens } from '../budget.ts';
import type { CallBounds, CompletionRequest, CompletionResult, LlmPort } from '../types.ts';

export class LlmError extends Error {
  readonly code: 'rate-limited' | 'server' | 'timeout' | 'refused' | 'no-answer';
  constructor(code: LlmError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmError';
    this.code = code;
  }
}

export interface OpenAiPortOptions {
  baseURL: string;
  model: string;
  /** @default '' (no key: LiteLLM or Ollama inside the cluster) */
  apiKey?: string;
  /** Pause before retrying a 5xx. @default 500 */
  retryPauseMs?: number;
  /** @default real timers */
  sleep?: (ms: number) => Promise<void>;
}

export class OpenAiPort implements LlmPort {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly o: OpenAiPortOptions) {
    this.name = `${o.model} at ${o.baseURL}`;
    this.client = new OpenAI({ baseURL: o.baseURL, apiKey: o.apiKey || 'none', maxRetries: 0 });
  }

  async complete(request: CompletionRequest, bounds: CallBounds): Promise<CompletionResult> {
    for (let attempt = 0; ; attempt++) {
      const left = bounds.deadline - Date.now();
      if (left <= 0) throw new LlmError('timeout', 'the LLM deadline passed');
      try {
        return await this.once(request, left, bounds.signal);
      } catch (error) {
        const wait = attempt === 0 ? this.retryAfter(error) : undefined;
        if (wait === undefined || Date.now() + wait >= bounds.deadline) throw this.classify(error);
        await (this.o.sleep ?? delay)(wait);
      }
    }
  }

  private async once(
    request: CompletionRequest,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CompletionResult> {
    const response = await this.client.chat.completions.create(
      {
        model: this.o.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        max_tokens: request.maxTokens,
        temperature: 0.2,
      },
      { timeout: timeoutMs, ...(signal ? { signal } : {}) },
    );
    const text = response.choices[0]?.message.content;
    if (typeof text !== 'string') throw new LlmError('no-answer', 'the LLM answered no text');
    return {
      text,
      promptTokens: response.usage?.prompt_tokens ?? estimateTokens(request.system + request.user),
      completionTokens: response.usage?.completion_tokens ?? estimateTokens(text),
    };
  }

  /** How long to wait before the one retry, or undefined when the error is not worth one. */
  private retryAfter(error: unknown): number | undefined {
    if (error instanceof APIConnectionError) return this.o.retryPauseMs ?? 500;
    if (!(error instanceof APIError) || error.status === undefined) return undefined;
    if (error.status === 429) {
      const headers = error.headers as { get(name: string): string | null } | undefined;
      const header = headers?.get('retry-after');
      const seconds = header ? Number(header) : NaN;
      return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
    }
    return error.status >= 500 ? (this.o.retryPauseMs ?? 500) : undefined;
  }

  private classify(error: unknown): LlmError {
    if (error instanceof LlmError) return error;
    if (error instanceof APIConnectionError)
      return new LlmError(
        /timed? ?out/i.test(error.message) ? 'timeout' : 'server',
        error.message,
        { cause: error },
      );
    if (error instanceof APIError && error.status !== undefined) {
      if (error.status === 429)
        return new LlmError('rate-limited', 'HTTP 429 from the LLM', { cause: error });
      if (error.status >= 500)
        return new LlmError('server', `HTTP ${error.status} from the LLM`, { cause: error });
      return new LlmError('refused', `HTTP ${error.status} from the LLM`, { cause: error });
    }
    return new LlmError('server', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
