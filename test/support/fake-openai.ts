/**
 * A local HTTP server that answers like the OpenAI chat-completions API (`POST /v1/chat/completions`)
 * for tests: it records every request body (so tests can read each prompt), answers with a
 * completion and a `usage` block, and can be told to answer 429 with Retry-After, a 5xx, or to hang.
 *
 * ```ts
 * const llm = await startFakeOpenAi({ answer: 'The pod runs out of memory.' });
 * t.after(() => llm.close());
 * llm.script({ status: 429, retryAfterSeconds: 1 }, { status: 503 });
 * llm.prompts(); // [{ system, user, model, maxTokens }]
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPrompt {
  model: string;
  system: string;
  user: string;
  maxTokens: number | undefined;
  /** Whether the request offered tools or functions (berth never does). */
  tools: boolean;
  authorization: string | undefined;
  status: number;
}

export interface ScriptedLlmAnswer {
  status: number;
  retryAfterSeconds?: number;
  /** Answer text for a 200. */
  text?: string;
  /** Wait this long before answering. @default 0 */
  delayMs?: number;
}

export interface FakeOpenAi {
  /** Base URL for the client: `http://127.0.0.1:<port>/v1`. */
  baseURL: string;
  requests: RecordedPrompt[];
  prompts(): RecordedPrompt[];
  script(...answers: ScriptedLlmAnswer[]): void;
  close(): Promise<void>;
}

interface ChatBody {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  tools?: unknown;
  functions?: unknown;
}

export async function startFakeOpenAi(o: { answer?: string } = {}): Promise<FakeOpenAi> {
  const requests: RecordedPrompt[] = [];
  const queue: ScriptedLlmAnswer[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    let body: ChatBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'invalid JSON', type: 'invalid_request_error' } }),
      );
      return;
    }
    const text = (role: string): string =>
      (body.messages ?? [])
        .filter((m) => m.role === role)
        .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
        .join('\n');
    const next = queue.shift() ?? { status: 200 };
    const rec: RecordedPrompt = {
      model: body.model ?? '',
      system: text('system'),
      user: text('user'),
      maxTokens: body.max_tokens ?? body.max_completion_tokens,
      tools: body.tools !== undefined || body.functions !== undefined,
      authorization: req.headers.authorization,
      status: next.status,
    };
    requests.push(rec);
    if (next.delayMs)
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, next.delayMs);
        timers.add(t);
      });
    if (res.destroyed) return;
    if (next.status !== 200) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (next.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(next.retryAfterSeconds);
      res.writeHead(next.status, headers);
      const type = next.status === 429 ? 'rate_limit_exceeded' : 'server_error';
      res.end(JSON.stringify({ error: { message: `fake ${next.status}`, type, code: type } }));
      return;
    }
    const answer =
      next.text ??
      o.answer ??
      'The container exits soon after start; check its logs and recent changes.';
    const promptTokens = Math.ceil((rec.system.length + rec.user.length) / 4);
    const completionTokens = Math.ceil(answer.length / 4);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: rec.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer, refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      }),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    prompts: () => requests.filter((r) => r.status === 200),
    script: (...answers) => queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
