import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from '../errors.ts';
import { checkFileSize, defaultMaxFileBytes, parseMaxFileSize } from './size-cap.ts';

test('--max-file-size reads MiB, fractions and 0; anything else is not a size', () => {
  assert.equal(parseMaxFileSize('64'), 64 * 1024 * 1024);
  assert.equal(parseMaxFileSize('0.5'), 512 * 1024);
  assert.equal(parseMaxFileSize('0'), 0);
  for (const bad of ['', '-1', '64MB', '1e3', 'lots'])
    assert.equal(parseMaxFileSize(bad), undefined);
});

test('a file over the cap is an input error naming the file at line 1; at the cap it passes', () => {
  checkFileSize('a.yaml', defaultMaxFileBytes);
  checkFileSize('a.yaml', 10 ** 12, 0);
  assert.throws(
    () => checkFileSize('big.yaml', 80 * 1024 * 1024),
    (error: unknown) =>
      error instanceof InvalidInputError &&
      error.diagnostics[0]?.position?.file === 'big.yaml' &&
      /80 MiB, over the 64 MiB limit/.test(error.message),
  );
});
