/** Health checks of the sandbox's components: one HTTP(S) GET that must answer 200. */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HealthCheck } from './components.ts';
import type { PkiFiles } from './pki.ts';
import { identities } from './pki.ts';

export interface HealthResult {
  ok: boolean;
  detail: string;
}

/** GETs `check.url`; never throws. */
export function probe(check: HealthCheck, pki: PkiFiles, timeoutMs = 2_000): Promise<HealthResult> {
  return new Promise((resolve) => {
    const url = new URL(check.url);
    const done = (ok: boolean, detail: string) => resolve({ ok, detail });
    const onResponse = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.slice(0, 500)));
      res.on('end', () =>
        done(res.statusCode === 200, `HTTP ${res.statusCode}: ${body.trim().slice(0, 300)}`),
      );
    };
    const options = { method: 'GET', timeout: timeoutMs };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(
            url,
            check.adminClient
              ? {
                  ...options,
                  ca: readFileSync(pki.caCert),
                  cert: readFileSync(pki.certOf(identities.admin)),
                  key: readFileSync(pki.keyOf(identities.admin)),
                }
              : // Controller-manager and scheduler serve a self-signed certificate on loopback;
                // only their public /healthz is read, nothing is sent.
                { ...options, rejectUnauthorized: false },
            onResponse,
          )
        : httpRequest(url, options, onResponse);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => done(false, error.message));
    req.end();
  });
}
