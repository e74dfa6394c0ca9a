import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareQuantities, parseQuantity, QuantityFormat, readQuantity } from './quantity.ts';

// Cases from apimachinery's resource/quantity_test.go (TestQuantityParse), values in base units.
const valid: [unknown, number, QuantityFormat][] = [
  ['0', 0, 'DecimalSI'],
  ['1', 1, 'DecimalSI'],
  ['100m', 0.1, 'DecimalSI'],
  ['1500m', 1.5, 'DecimalSI'],
  ['1n', 1e-9, 'DecimalSI'],
  ['1u', 1e-6, 'DecimalSI'],
  ['1k', 1000, 'DecimalSI'],
  ['1M', 1e6, 'DecimalSI'],
  ['1.5G', 1.5e9, 'DecimalSI'],
  ['1T', 1e12, 'DecimalSI'],
  ['1P', 1e15, 'DecimalSI'],
  ['1E', 1e18, 'DecimalSI'],
  ['1Ki', 1024, 'BinarySI'],
  ['512Mi', 512 * 2 ** 20, 'BinarySI'],
  ['1.5Gi', 1.5 * 2 ** 30, 'BinarySI'],
  ['1Ti', 2 ** 40, 'BinarySI'],
  ['1Pi', 2 ** 50, 'BinarySI'],
  ['1Ei', 2 ** 60, 'BinarySI'],
  ['1e3', 1000, 'DecimalExponent'],
  ['1E3', 1000, 'DecimalExponent'],
  ['1e-3', 0.001, 'DecimalExponent'],
  ['1.5e+2', 150, 'DecimalExponent'],
  ['.5', 0.5, 'DecimalSI'],
  ['5.', 5, 'DecimalSI'],
  ['1.G', 1e9, 'DecimalSI'],
  ['+1', 1, 'DecimalSI'],
  ['-1', -1, 'DecimalSI'],
  ['-500m', -0.5, 'DecimalSI'],
  ['0.1', 0.1, 'DecimalSI'],
  [' 2Gi ', 2 * 2 ** 30, 'BinarySI'],
  [2, 2, 'DecimalSI'],
  [0.25, 0.25, 'DecimalSI'],
];
for (const [text, value, format] of valid) {
  test(`quantity: ${JSON.stringify(text)} is ${value}`, () => {
    const q = readQuantity(text);
    assert.equal(q?.value, value);
    assert.equal(q?.format, format);
  });
}

const invalid: unknown[] = [
  '',
  ' ',
  'Mi',
  'm',
  '1K',
  '1KB',
  '1GB',
  '1e',
  '1e1.5',
  '1 Gi',
  '1.1.1',
  '--1',
  'ten',
  '1i',
  '.',
  '1Mi1',
  'e3',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  null,
  {},
  true,
];
for (const text of invalid) {
  test(`quantity: ${JSON.stringify(text) ?? String(text)} is invalid`, () => {
    assert.equal(parseQuantity(text), undefined);
  });
}

test('quantities compare by value across formats', () => {
  assert.equal(compareQuantities('1Gi', '1G'), 1);
  assert.equal(compareQuantities('1000m', '1'), 0);
  assert.equal(compareQuantities('1e3', '1k'), 0);
  assert.equal(compareQuantities('500m', '0.6'), -1);
  assert.equal(compareQuantities('1Ki', 'x'), undefined);
});
