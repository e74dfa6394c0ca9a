/** LLM explanations of incidents (optional, off by default): docs/llm.md, ADR 0101. */
export { readLlmConfig, llmDefaults, type LlmConfig, type LlmEnv } from './config.ts';
export { LlmExplainer, offExplainer, type Explainer, type ExplainerOptions } from './explainer.ts';
export { buildPrompt, systemInstruction } from './prompt.ts';
export { maskForPrompt } from './mask.ts';
export type { CompletionRequest, CompletionResult, Explanation, LlmPort } from './types.ts';
