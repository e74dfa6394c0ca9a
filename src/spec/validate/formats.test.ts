import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFormat, checkSchedule, isMutableImage } from './formats.ts';

test('CPU quantities: positive, decimal notation', () => {
  for (const good of ['500m', '2', '0.25', '1500m', '1e0'])
    assert.equal(checkFormat('cpu', good), undefined, good);
  for (const bad of ['2 cores', '1Gi', '-1', 'm', '']) assert.ok(checkFormat('cpu', bad), bad);
});

test('byte quantities: binary and decimal suffixes, at least one byte', () => {
  for (const good of ['512Mi', '10Gi', '1G', '1024', '1.5Gi', '1e9'])
    assert.equal(checkFormat('bytes', good), undefined, good);
  for (const bad of ['1GB', 'ten', '10 Gi', '0', 'Mi', '500m', '1K'])
    assert.ok(checkFormat('bytes', bad), bad);
});

test('images: syntax, and which references are mutable', () => {
  const cases: [string, boolean][] = [
    ['ghcr.io/acme/agent:1.4.2', false],
    ['ghcr.io/acme/agent:latest', true],
    ['ghcr.io/acme/agent', true],
    ['redis:7.4.2-alpine', false],
    ['localhost:5000/x:1', false],
    [`ghcr.io/acme/agent@sha256:${'a'.repeat(64)}`, false],
    [`ghcr.io/acme/agent:latest@sha256:${'b'.repeat(64)}`, false],
  ];
  for (const [image, mutable] of cases) {
    assert.equal(checkFormat('image', image), undefined, image);
    assert.equal(isMutableImage(image), mutable, image);
  }
  for (const bad of ['ghcr.io/Acme/agent:1', 'agent:', 'a b', 'x:1:2'])
    assert.ok(checkFormat('image', bad), bad);
});

test('schedules: 5-field cron and the "every" form', () => {
  const valid = [
    '0 8 * * *',
    '*/15 * * * *',
    '0 9-17 * * 1-5',
    '30 2 1,15 * 0',
    '0 0 * * 7',
    'every 15m',
    'every 1h',
    'every 1d at 09:00',
    'every 2d',
  ];
  for (const s of valid) assert.equal(checkSchedule(s), undefined, s);
  const invalid: [string, RegExp][] = [
    ['0 25 * * *', /hour "25" is not within 0-23/],
    ['60 * * * *', /minute "60"/],
    ['* * * *', /cron needs 5 fields, got 4/],
    ['* * * * * *', /cron needs 5 fields, got 6/],
    ['*/0 * * * *', /minute/],
    ['5-1 * * * *', /minute/],
    ['every 15x', /invalid schedule/],
    ['every 0m', /must be positive/],
    ['every 2h at 09:00', /only goes with days/],
    ['every 1d at 24:00', /invalid schedule/],
  ];
  for (const [s, message] of invalid) assert.match(checkSchedule(s)?.message ?? '', message, s);
});

test('names, CIDRs, host names, paths and durations', () => {
  const valid: [Parameters<typeof checkFormat>[0], string][] = [
    ['name', 'vapora-backend'],
    ['cidr', '10.0.0.0/8'],
    ['cidr', '2001:db8::/32'],
    ['hostname', 'api.github.com'],
    ['hostname', '*.supabase.co'],
    ['absolute-path', '/var/cache/nginx'],
    ['duration', '15m'],
    ['duration', '1m30s'],
    ['duration', '500ms'],
    ['url', 'https://litellm.rogi.casa/v1'],
  ];
  for (const [format, value] of valid) assert.equal(checkFormat(format, value), undefined, value);
  const invalid: [Parameters<typeof checkFormat>[0], string][] = [
    ['name', 'Vapora'],
    ['name', '-x'],
    ['name', 'a'.repeat(51)],
    ['cidr', '10.0.0.0'],
    ['cidr', '300.0.0.0/8'],
    ['cidr', '10.0.0.0/33'],
    ['hostname', 'API.example.com'],
    ['absolute-path', 'tmp'],
    ['absolute-path', '/a/../b'],
    ['duration', '1d'],
    ['duration', '30'],
    ['duration', '-5m'],
    ['url', 'litellm:4000'],
  ];
  for (const [format, value] of invalid)
    assert.ok(checkFormat(format, value), `${format} ${value}`);
});
