/**
 * Who may see the service: a bearer token, or basic auth against an scrypt hash
 * (`scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`, made by `hashPassword`). Comparison in constant
 * time; failed attempts rate-limited per client (ADR 0103). `/healthz` is the only open route.
 */
import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  scryptSync,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

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

interface StoredHash {
  salt: Buffer;
  expected: Buffer;
  options: ScryptOptions;
}

function parseHash(stored: string): StoredHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (expected.length === 0) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  return { salt, expected, options: { N, r, p, maxmem: 64 * 1024 * 1024 } };
}

/**
 * Why `stored` is not a usable hash (`scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`), or undefined
 * when it is: checked at start, so a typo in the Secret is an exit 2, not a dashboard nobody can
 * log in to.
 */
export function passwordHashProblem(stored: string): string | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt')
    return 'expected scrypt$<N>$<r>$<p>$<salt base64>$<hash base64> (make one with hashPassword)';
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) return `N ${parts[1]}: a power of 2`;
  if (!Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1)
    return `r ${parts[2]}, p ${parts[3]}: positive whole numbers`;
  if (128 * N * r > 64 * 1024 * 1024) return `N ${N}, r ${r}: more than 64 MiB of memory`;
  const b64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (!b64.test(parts[4] ?? '')) return 'the salt is not base64';
  if (!b64.test(parts[5] ?? '') || Buffer.from(parts[5] ?? '', 'base64').length < 16)
    return 'the hash is not base64 of at least 16 bytes';
  return undefined;
}

export function verifyPassword(password: string, stored: string): boolean {
  const h = parseHash(stored);
  if (!h) return false;
  return timingSafeEqual(scryptSync(password, h.salt, h.expected.length, h.options), h.expected);
}

/** As `verifyPassword`, on the thread pool: a login never blocks the event loop (~0.1-0.3 s). */
export async function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (!h) return false;
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, h.salt, h.expected.length, h.options, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
  return timingSafeEqual(key, h.expected);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function isAuthorized(
  header: string | undefined,
  config: AuthConfig,
): Promise<boolean> {
  return (await principalOf(header, config)) !== undefined;
}

/**
 * Who the credentials in `header` belong to: the basic-auth user, `bearer` for the token, or
 * undefined when they are missing or wrong.
 */
export async function principalOf(
  header: string | undefined,
  config: AuthConfig,
): Promise<string | undefined> {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && config.bearerToken)
    return sameText(value, config.bearerToken) ? 'bearer' : undefined;
  if (scheme?.toLowerCase() === 'basic' && config.basic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at < 0) return undefined;
    const userOk = sameText(decoded.slice(0, at), config.basic.user);
    const passOk = await verifyPasswordAsync(decoded.slice(at + 1), config.basic.hash);
    return userOk && passOk ? config.basic.user : undefined;
  }
  return undefined;
}

/** Too many scrypt verifications in flight (all clients together): answer 503, try later. */
export class AuthBusyError extends Error {
  constructor() {
    super('too many logins being verified');
    this.name = 'AuthBusyError';
  }
}

/**
 * `principalOf` with the successful answers remembered for a while (by a SHA-256 of the header),
 * so a browser's every request (and the page's refresh while an undo runs) does not cost one
 * scrypt each. Failures are never remembered: the login limiter counts them. At most
 * `maxConcurrent` scrypt verifications run at once (all clients together): one more throws
 * `AuthBusyError` instead of queueing on the thread pool (ADR 0140).
 */
export class Authenticator {
  private readonly known = new Map<string, { user: string; until: number }>();
  private inFlight = 0;
  constructor(
    private readonly config: AuthConfig,
    private readonly o: {
      now: () => number;
      /** @default 5 min */
      ttlMs?: number;
      /** @default 64 */
      max?: number;
      /** Concurrent scrypt verifications. @default 4 */
      maxConcurrent?: number;
    },
  ) {}

  /** The remembered principal of `header`, without any verification; undefined when unknown. */
  cached(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const hit = this.known.get(keyOf(header));
    return hit && hit.until > this.o.now() ? hit.user : undefined;
  }

  async principal(header: string | undefined): Promise<string | undefined> {
    if (!header) return undefined;
    const key = keyOf(header);
    const hit = this.known.get(key);
    if (hit && hit.until > this.o.now()) return hit.user;
    this.known.delete(key);
    const scrypted = header.slice(0, 6).toLowerCase() === 'basic ' && this.config.basic;
    if (scrypted && this.inFlight >= (this.o.maxConcurrent ?? 4)) throw new AuthBusyError();
    if (scrypted) this.inFlight++;
    let user: string | undefined;
    try {
      user = await principalOf(header, this.config);
    } finally {
      if (scrypted) this.inFlight--;
    }
    if (user === undefined) return undefined;
    if (this.known.size >= (this.o.max ?? 64)) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(key, { user, until: this.o.now() + (this.o.ttlMs ?? 300_000) });
    return user;
  }
}

function keyOf(header: string): string {
  return createHash('sha256').update(header).digest('base64');
}

/**
 * The key CSRF tokens are signed with. Derived from the configured credentials, so every
 * replica that shares the Secret accepts the tokens of the others (a page served by one replica
 * may post to another behind the Service); without credentials (loopback), a per-process key.
 */
export function csrfKey(config: AuthConfig, fallback: Buffer = randomBytes(32)): Buffer {
  if (!hasCredentials(config)) return fallback;
  return createHash('sha256')
    .update('berth-dashboard-csrf\0')
    .update(config.bearerToken ?? '')
    .update('\0')
    .update(config.basic ? `${config.basic.user}\0${config.basic.hash}` : '')
    .digest();
}

/** CSRF tokens live this long. @default 12 h */
export const csrfMaxAgeMs = 12 * 3_600_000;

function csrfMac(key: Buffer, credential: string, issuedAt: string): string {
  return createHmac('sha256', key).update(`${issuedAt}\0${credential}`).digest('base64url');
}

/**
 * A token bound to the request's credentials (its `Authorization` header, empty on an open
 * loopback bind) and to the time it was issued: `<issued base36>.<HMAC-SHA256>`.
 */
export function csrfToken(key: Buffer, credential: string, now: number): string {
  const issuedAt = now.toString(36);
  return `${issuedAt}.${csrfMac(key, credential, issuedAt)}`;
}

export function isValidCsrf(
  key: Buffer,
  credential: string,
  token: string | undefined,
  now: number,
  maxAgeMs = csrfMaxAgeMs,
): boolean {
  if (!token) return false;
  const [issuedAt = '', mac = ''] = token.split('.', 2);
  const issued = parseInt(issuedAt, 36);
  if (!/^[0-9a-z]{1,12}$/.test(issuedAt) || issued > now + 60_000 || now - issued > maxAgeMs)
    return false;
  return sameText(mac, csrfMac(key, credential, issuedAt));
}

export function hasCredentials(config: AuthConfig): boolean {
  return Boolean(config.bearerToken) || Boolean(config.basic);
}

const ipv4Loopback = /^127\.(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){2}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

/**
 * Whether `host` (an address to bind, or the name part of a Host header) is loopback: an IPv4
 * literal in 127.0.0.0/8, `::1` (bracketed or not), or `localhost`. Never a host name that merely
 * starts with `127.` (`127.0.0.1.attacker.example` resolves wherever its owner wants).
 */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || ipv4Loopback.test(h);
}

/** The name part of a Host header (`[::1]:8080` → `[::1]`, `localhost:9119` → `localhost`). */
export function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end < 0 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.lastIndexOf(':');
  return colon < 0 ? hostHeader : hostHeader.slice(0, colon);
}

/**
 * Login attempts per client in a sliding window; pure over an injected clock. An attempt is
 * counted before its credentials are verified (`attempt`) and refunded when they were right
 * (`refund`): concurrent wrong guesses cannot all pass the check before any is counted (ADR 0140).
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly o: { max: number; windowMs: number; now: () => number }) {}

  isBlocked(client: string): boolean {
    return this.recent(client).length >= this.o.max;
  }

  /** Counts one attempt; false (nothing counted) when the client is already at the limit. */
  attempt(client: string): boolean {
    const recent = this.recent(client);
    if (recent.length >= this.o.max) return false;
    this.failures.set(client, [...recent, this.o.now()]);
    return true;
  }

  /** Takes back one counted attempt (its credentials were right, or were never verified). */
  refund(client: string): void {
    const recent = this.recent(client);
    recent.pop();
    if (recent.length === 0) this.failures.delete(client);
    else this.failures.set(client, recent);
  }

  fail(client: string): void {
    this.failures.set(client, [...this.recent(client), this.o.now()]);
  }

  private recent(client: string): number[] {
    const since = this.o.now() - this.o.windowMs;
    return (this.failures.get(client) ?? []).filter((t) => t > since);
  }
}
