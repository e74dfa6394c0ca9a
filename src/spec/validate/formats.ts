/** Checks of string formats (quantities, images, cron, names...). Each returns a problem or undefined. */
import type { Format } from '../schema/dsl.ts';
import { parseDuration } from '../../model/duration.ts';
import { QuantityFormat, readQuantity } from '../../model/quantity.ts';

export interface Problem {
  message: string;
  hint?: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IMAGE =
  /^(?<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+(?=\/))?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

export function checkFormat(format: Format, value: string): Problem | undefined {
  switch (format) {
    case 'name':
      return value.length <= 50 && NAME.test(value)
        ? undefined
        : {
            message: `invalid name "${value}"`,
            hint: 'use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 50 characters',
          };
    case 'cpu':
      return isCpu(value)
        ? undefined
        : {
            message: `invalid CPU quantity "${value}"`,
            hint: 'use cores (0.5, 2) or millicores (500m)',
          };
    case 'bytes':
      return isBytes(value)
        ? undefined
        : {
            message: `invalid quantity "${value}"`,
            hint: 'use a number with a binary suffix such as 512Mi, 2Gi or 10Gi',
          };
    case 'image':
      return checkImageSyntax(value);
    case 'cron':
      return checkSchedule(value);
    case 'duration':
      return (parseDuration(value) ?? -1) >= 0
        ? undefined
        : {
            message: `invalid duration "${value}"`,
            hint: 'use Go-style durations such as 30s, 15m, 1h or 1m30s',
          };
    case 'cidr':
      return checkCidr(value);
    case 'hostname':
      return value.length <= 253 && HOSTNAME.test(value)
        ? undefined
        : {
            message: `invalid host name "${value}"`,
            hint: 'use a lowercase DNS name such as api.example.com',
          };
    case 'absolute-path':
      return value.startsWith('/') && !value.split('/').includes('..')
        ? undefined
        : {
            message: `invalid path "${value}"`,
            hint: 'use an absolute path without "..", such as /var/cache/nginx',
          };
    case 'url':
      return /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value)
        ? undefined
        : { message: `invalid URL "${value}"`, hint: 'use http:// or https:// followed by a host' };
  }
}

/** A positive CPU quantity in decimal notation (cores, millicores or an exponent), not `1Ki`. */
function isCpu(value: string): boolean {
  const q = readQuantity(value);
  return q !== undefined && q.format !== QuantityFormat.binarySI && q.value > 0;
}

/** A byte quantity of at least one byte (`512Mi`, `1G`, `1024`), not `500m`. */
function isBytes(value: string): boolean {
  const q = readQuantity(value);
  return q !== undefined && q.value >= 1;
}

export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

function parseImage(value: string): ImageRef | undefined {
  const match = IMAGE.exec(value);
  if (!match?.groups) return undefined;
  const { repo, tag, digest } = match.groups;
  const ref: ImageRef = { repository: repo ?? '' };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

function checkImageSyntax(value: string): Problem | undefined {
  return parseImage(value)
    ? undefined
    : {
        message: `invalid image reference "${value}"`,
        hint: 'use registry/repository:tag, such as ghcr.io/acme/agent:1.4.2',
      };
}

/** An image whose content can change under the same reference: no tag and no digest, or :latest. */
export function isMutableImage(value: string): boolean {
  const ref = parseImage(value);
  if (!ref || ref.digest) return false;
  return ref.tag === undefined || ref.tag === 'latest';
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;
const EVERY = /^every (\d+)(m|h|d)( at ([01]\d|2[0-3]):([0-5]\d))?$/;

/** Standard 5-field cron, or `every <n>m|h|d` (with ` at HH:MM` only for days). */
export function checkSchedule(value: string): Problem | undefined {
  const hint =
    'use 5-field cron ("0 8 * * *", "*/15 * * * *") or "every 15m", "every 1h", "every 1d at 09:00"';
  if (value.startsWith('every ')) {
    const match = EVERY.exec(value);
    if (!match) return { message: `invalid schedule "${value}"`, hint };
    const n = Number(match[1]);
    if (n <= 0)
      return { message: `invalid schedule "${value}": the interval must be positive`, hint };
    if (match[3] !== undefined && match[2] !== 'd')
      return { message: `invalid schedule "${value}": "at HH:MM" only goes with days`, hint };
    return undefined;
  }
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 5)
    return {
      message: `invalid schedule "${value}": cron needs 5 fields, got ${parts.length}`,
      hint,
    };
  for (const [i, part] of parts.entries()) {
    const spec = CRON_FIELDS[i];
    if (!spec) continue;
    if (!isCronField(part, spec.min, spec.max))
      return {
        message: `invalid schedule "${value}": ${spec.name} "${part}" is not within ${spec.min}-${spec.max}`,
        hint,
      };
  }
  return undefined;
}

function isCronField(part: string, min: number, max: number): boolean {
  return part.split(',').every((item) => {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === undefined) return false;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
    if (range === '*') return true;
    const bounds = range.split('-');
    if (bounds.length > 2 || !bounds.every((b) => /^\d+$/.test(b))) return false;
    const numbers = bounds.map(Number);
    if (!numbers.every((n) => n >= min && n <= max)) return false;
    return numbers.length === 1 || (numbers[0] ?? 0) <= (numbers[1] ?? 0);
  });
}

function checkCidr(value: string): Problem | undefined {
  const bad = {
    message: `invalid CIDR "${value}"`,
    hint: 'use an address block such as 203.0.113.0/24 or 2001:db8::/32',
  };
  const [address, bits, extra] = value.split('/');
  if (address === undefined || bits === undefined || extra !== undefined || !/^\d+$/.test(bits))
    return bad;
  if (address.includes(':')) {
    return /^[0-9a-fA-F:]+$/.test(address) && Number(bits) <= 128 ? undefined : bad;
  }
  const octets = address.split('.');
  const ok =
    octets.length === 4 &&
    octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) &&
    Number(bits) <= 32;
  return ok ? undefined : bad;
}
