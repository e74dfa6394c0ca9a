/**
 * Kubernetes resource quantities (`512Mi`, `1.5G`, `500m`, `1e3`), parsed by apimachinery's
 * rules (k8s.io/apimachinery/pkg/api/resource):
 *
 *   quantity     = [sign] number suffix
 *   number       = digits | digits "." | digits "." digits | "." digits
 *   suffix       = binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m "" k M G T P E)
 *                | exponent ("e" or "E" followed by a signed integer)
 *
 * `K` is not a suffix (only `k`), `1e` is invalid while `1E` is one exa, and a bare suffix
 * (`Mi`) is invalid. Values are JavaScript numbers in base units (bytes, cores), so comparisons
 * are exact for everything a manifest realistically holds; decimal values are computed from the
 * decimal text (`Number("1.5e9")`), not by multiplying floats.
 */

/** How a quantity was written, as apimachinery's `Format`. */
export const QuantityFormat = {
  binarySI: 'BinarySI',
  decimalSI: 'DecimalSI',
  decimalExponent: 'DecimalExponent',
} as const;
export type QuantityFormat = (typeof QuantityFormat)[keyof typeof QuantityFormat];

export interface Quantity {
  /** The value in base units. */
  readonly value: number;
  readonly format: QuantityFormat;
  /** The suffix as written (`Mi`, `m`, `e3`, or empty). */
  readonly suffix: string;
}

const binaryExponents: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const decimalExponents: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)([a-zA-Z]*|[eE][+-]?\d+)$/;

/**
 * The quantity written in `value` (a string, or a number as YAML may give it), or undefined
 * when it is not a valid quantity. Surrounding spaces are ignored, as the API server does when
 * it decodes JSON.
 */
export function readQuantity(value: unknown): Quantity | undefined {
  if (typeof value === 'string') {
    // Manifests repeat a handful of quantities (`250m`, `512Mi`) thousands of times.
    const known = cache.get(value);
    if (known !== undefined || cache.has(value)) return known;
    const q = parseText(value);
    if (q) Object.freeze(q); // shared by every caller that reads the same text
    if (cache.size >= 4096) cache.clear();
    cache.set(value, q);
    return q;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { value, format: QuantityFormat.decimalSI, suffix: '' }
      : undefined;
  }
  return undefined;
}

const cache = new Map<string, Quantity | undefined>();

function parseText(value: string): Quantity | undefined {
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const sign = match[1] === '-' ? '-' : '';
  const digits = match[2] ?? '';
  const suffix = match[3] ?? '';
  const binary = binaryExponents[suffix];
  if (binary !== undefined) {
    return {
      value: Number(`${sign}${digits}`) * 2 ** binary,
      format: QuantityFormat.binarySI,
      suffix,
    };
  }
  const decimal = decimalExponents[suffix];
  if (decimal !== undefined) {
    return {
      value: Number(`${sign}${digits}e${decimal}`),
      format: QuantityFormat.decimalSI,
      suffix,
    };
  }
  if (/^[eE][+-]?\d+$/.test(suffix)) {
    return {
      value: Number(`${sign}${digits}e${suffix.slice(1)}`),
      format: QuantityFormat.decimalExponent,
      suffix,
    };
  }
  return undefined;
}

/** The quantity's value in base units, or undefined when it is not a valid quantity. */
export function parseQuantity(value: unknown): number | undefined {
  return readQuantity(value)?.value;
}

/**
 * Orders two quantities like apimachinery's `Quantity.Cmp`: -1, 0 or 1, or undefined when
 * either is not a valid quantity.
 */
export function compareQuantities(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}
