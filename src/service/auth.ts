/**
 * Who may see the service: a bearer token, or basic auth against an scrypt hash
 * (`scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`, made by `hashPassword`). Comparison in constant
 * time; failed attempts rate-limited per client (ADR 0103). `/healthz` is the only open route.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface AuthConfig {
  /** Accepted `Authorization: Bearer <token>`. @default none */
  bearerToken?: string;
  /** Basic auth user and scrypt hash of the password. @default none */
  basic?: { user: string; hash: string };
}

export function hashPassword(password: string, salt = randomBytes(16)): string {
  const [N, r, p] = [16384, 8, 1];
  const key = scryptSync(password, salt, 32, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (expected.length === 0) return false;
  const key = scryptSync(password, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isAuthorized(header: string | undefined, config: AuthConfig): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && config.bearerToken)
    return sameText(value, config.bearerToken);
  if (scheme?.toLowerCase() === 'basic' && config.basic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at < 0) return false;
    const userOk = sameText(decoded.slice(0, at), config.basic.user);
    const passOk = verifyPassword(decoded.slice(at + 1), config.basic.hash);
    return userOk && passOk;
  }
  return false;
}

export function hasCredentials(config: AuthConfig): boolean {
  return Boolean(config.bearerToken) || Boolean(config.basic);
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}

/** Failed logins per client in a sliding window; pure over an injected clock. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly o: { max: number; windowMs: number; now: () => number }) {}

  isBlocked(client: string): boolean {
    return this.recent(client).length >= this.o.max;
  }

  fail(client: string): void {
    this.failures.set(client, [...this.recent(client), this.o.now()]);
  }

  private recent(client: string): number[] {
    const since = this.o.now() - this.o.windowMs;
    return (this.failures.get(client) ?? []).filter((t) => t > since);
  }
}
