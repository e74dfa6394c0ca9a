/** From the config (or its absence) to an explainer: no config, no model, no call. */
import { OpenAiPort } from './adapters/openai.ts';
import type { LlmConfig } from './config.ts';
import { LlmExplainer, offExplainer, type Explainer, type ExplainerOptions } from './explainer.ts';

export function createExplainer(
  config: LlmConfig | undefined,
  options: Omit<ExplainerOptions, 'port' | 'config'> = {},
): Explainer {
  if (!config) return offExplainer;
  const port = new OpenAiPort({
    baseURL: config.baseURL,
    model: config.model,
    apiKey: config.apiKey,
  });
  return new LlmExplainer({ ...options, port, config });
}
