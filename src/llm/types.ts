/**
 * The LLM port (ADR 0100): one narrow call, as k8sgpt's `GetCompletion`. berth asks a model to
 * explain an incident in words; the answer is text for a human, never an instruction to berth.
 */

/** One chat completion request: a system instruction and one user message. */
export interface CompletionRequest {
  system: string;
  user: string;
  /** Upper bound of the answer, in tokens. */
  maxTokens: number;
}

export interface CompletionResult {
  text: string;
  /** Tokens the endpoint counted (or berth's estimate when it reports none). */
  promptTokens: number;
  completionTokens: number;
}

export interface CallBounds {
  /** Absolute deadline, epoch ms. */
  deadline: number;
  signal?: AbortSignal;
}

/** An OpenAI-compatible endpoint (LiteLLM, Ollama, vLLM) or the no-op model. */
export interface LlmPort {
  readonly name: string;
  complete(request: CompletionRequest, bounds: CallBounds): Promise<CompletionResult>;
}

/** What `explain` hands back: always text; where it came from says whether the model spoke. */
export interface Explanation {
  text: string;
  source: 'llm' | 'fallback';
  /** Why the fallback was used (`off`, `budget: …`, `timeout`, `HTTP 503`). */
  why?: string;
  tokens: number;
}
