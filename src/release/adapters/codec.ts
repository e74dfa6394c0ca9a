/** The revision payload codec: gzip'd JSON in base64, as Helm packs its releases (ADR 0066). */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { PayloadCodec } from '../revision.ts';

export const gzipCodec: PayloadCodec = {
  pack: (json) => gzipSync(json).toString('base64'),
  unpack: (data) => gunzipSync(Buffer.from(data, 'base64')).toString('utf8'),
};
