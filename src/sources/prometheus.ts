/**
 * Prometheus: an instant query (`GET /api/v1/query`). The answer must be one sample: a scalar or
 * a vector of exactly one series. No series, several series or NaN is `unknown` (aggregate with
 * `sum(...)`), never 0: a query that stopped matching must not scale a pool down.
 */
import { SourceError } from './errors.ts';
import { fetchJson } from './http.ts';
import { depthOf } from './json-path.ts';
import type { PrometheusSource, ReadContext, SourceAdapter } from './types.ts';

interface QueryAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

export const prometheusAdapter: SourceAdapter<PrometheusSource> = {
  kind: 'prometheus',
  describe: (s) => `prometheus ${s.query}`,
  async read(s, ctx: ReadContext) {
    const url = new URL('api/v1/query', s.url.endsWith('/') ? s.url : `${s.url}/`);
    url.searchParams.set('query', s.query);
    const answer = (await fetchJson(url, { signal: ctx.signal })) as QueryAnswer;
    if (answer.status !== 'success')
      throw new SourceError(`query failed: ${answer.error ?? 'status is not success'}`);
    const data = answer.data;
    let sample: unknown;
    if (data?.resultType === 'scalar') sample = data.result;
    else if (data?.resultType === 'vector' && Array.isArray(data.result)) {
      if (data.result.length !== 1)
        throw new SourceError(
          `query returned ${data.result.length} series, expected 1 (aggregate it, for example with sum())`,
        );
      sample = (data.result[0] as { value?: unknown }).value;
    } else throw new SourceError(`query returned a ${data?.resultType ?? 'missing'} result`);
    const value = Array.isArray(sample) ? depthOf(sample[1]) : undefined;
    if (value === undefined)
      throw new SourceError(`query returned ${JSON.stringify(sample)}, not a non-negative number`);
    return value;
  },
};

/** One series of an instant vector: its labels and its value. */
export interface PrometheusSeries {
  labels: Record<string, string>;
  value: number;
}

/**
 * An instant query answering a vector of any size (`GET /api/v1/query`), for readers that join
 * series by label (the watchdog's volume usage). NaN and non-numbers are left out.
 */
export async function queryVector(
  baseUrl: string,
  query: string,
  options: { signal: AbortSignal },
): Promise<PrometheusSeries[]> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  const answer = (await fetchJson(url, { signal: options.signal })) as QueryAnswer;
  if (answer.status !== 'success')
    throw new SourceError(`query failed: ${answer.error ?? 'status is not success'}`);
  if (answer.data?.resultType !== 'vector' || !Array.isArray(answer.data.result))
    throw new SourceError(`query returned a ${answer.data?.resultType ?? 'missing'} result`);
  const out: PrometheusSeries[] = [];
  for (const r of answer.data.result as { metric?: Record<string, string>; value?: unknown }[]) {
    const raw = Array.isArray(r.value) ? Number(r.value[1]) : Number.NaN;
    if (Number.isFinite(raw)) out.push({ labels: r.metric ?? {}, value: raw });
  }
  return out;
}
