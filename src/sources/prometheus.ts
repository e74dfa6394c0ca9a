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
