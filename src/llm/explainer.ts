/**
 * `explain(incident)`: budget → prompt (masked, fenced) → the port under a deadline → a cleaned,
 * capped answer; any failure gives the deterministic fallback. Off by default: `offExplainer`
 * never calls anything. The answer is text only; the watchdog shows it and acts by its policy.
 */
import { randomBytes } from 'node:crypto';
import type { Incident } from '../watchdog/incidents.ts';
import { cleanAnswer } from './answer.ts';
import { checkBudget, emptyBudget, estimateTokens, spend, type BudgetState } from './budget.ts';
import type { LlmConfig } from './config.ts';
import { buildPrompt } from './prompt.ts';
import type { Explanation, LlmPort } from './types.ts';

export interface Explainer {
  explain(incident: Incident): Promise<Explanation>;
}

/** No model configured: no call, ever. */
export const offExplainer: Explainer = {
  explain: () => Promise.resolve({ text: '', source: 'fallback', why: 'off', tokens: 0 }),
};

export interface ExplainerOptions {
  port: LlmPort;
  config: Pick<
    LlmConfig,
    'timeoutMs' | 'incidentTokens' | 'dailyTokens' | 'answerTokens' | 'answerChars'
  >;
  /** Current Secret values to mask (read by the caller, e.g. from the watched namespaces). @default none */
  knownSecrets?: () => readonly string[] | Promise<readonly string[]>;
  /** @default Date.now */
  now?: () => number;
  /** @default 16 random bytes, hex */
  nonce?: () => string;
  /** Tokens spent, for the metrics. */
  onTokens?: (tokens: number, result: Explanation['source']) => void;
  log?: (line: string) => void;
}

export class LlmExplainer implements Explainer {
  private budget: BudgetState;

  constructor(private readonly o: ExplainerOptions) {
    this.budget = emptyBudget(this.now());
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  async explain(incident: Incident): Promise<Explanation> {
    let secrets: readonly string[];
    try {
      secrets = (await this.o.knownSecrets?.()) ?? [];
    } catch (error) {
      // Without the Secret values the prompt could carry one unmasked: no call.
      return this.fallback(`secret values unreadable: ${(error as Error).message}`, 0);
    }
    const request = buildPrompt(incident, {
      nonce: this.o.nonce?.() ?? randomBytes(16).toString('hex'),
      knownSecrets: secrets,
      maxTokens: this.o.config.answerTokens,
    });
    const cost = estimateTokens(request.system + request.user) + request.maxTokens;
    const now = this.now();
    const verdict = checkBudget(this.budget, this.o.config, incident.fingerprint, cost, now);
    if (!verdict.allow) return this.fallback(verdict.why, 0);
    try {
      const result = await this.o.port.complete(request, {
        // Deadlines are on the wall clock (the port's timers); `now` only dates the budgets.
        deadline: Date.now() + this.o.config.timeoutMs,
      });
      const tokens = result.promptTokens + result.completionTokens;
      this.budget = spend(this.budget, incident.fingerprint, tokens, this.now());
      const text = cleanAnswer(result.text, {
        maxChars: this.o.config.answerChars,
        knownSecrets: secrets,
      });
      if (!text) return this.fallback('empty answer', tokens);
      this.o.onTokens?.(tokens, 'llm');
      return { text, source: 'llm', tokens };
    } catch (error) {
      // The model is optional: its failure is logged and the deterministic message goes out.
      const why = error instanceof Error ? error.message : String(error);
      this.budget = spend(
        this.budget,
        incident.fingerprint,
        estimateTokens(request.system + request.user),
        this.now(),
      );
      return this.fallback(why, 0);
    }
  }

  private fallback(why: string, tokens: number): Explanation {
    this.o.log?.(`llm: deterministic message (${why})`);
    this.o.onTokens?.(tokens, 'fallback');
    return { text: '', source: 'fallback', why, tokens };
  }
}
