/** HTTP JSON: GET a URL and read the number at a JSON path (`$.queue.depth`). */
import { SourceError } from './errors.ts';
import { fetchJson } from './http.ts';
import { depthOf, parseJsonPath, valueAt } from './json-path.ts';
import type { HttpJsonSource, ReadContext, SourceAdapter } from './types.ts';

export const httpJsonAdapter: SourceAdapter<HttpJsonSource> = {
  kind: 'http-json',
  describe: (s) => {
    const u = new URL(s.url);
    return `http ${u.host}${u.pathname} ${s.path}`;
  },
  async read(s, ctx: ReadContext) {
    const segments = parseJsonPath(s.path);
    const data = await fetchJson(s.url, {
      signal: ctx.signal,
      ...(s.headers ? { headers: s.headers } : {}),
    });
    const raw = valueAt(data, segments);
    const value = depthOf(raw);
    if (value === undefined)
      throw new SourceError(
        raw === undefined
          ? `nothing at ${s.path}`
          : `${s.path} is ${JSON.stringify(raw)}, not a non-negative number`,
      );
    return value;
  },
};
