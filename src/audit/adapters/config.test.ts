import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('every dockerfiles entry for the same path is kept, however the path is written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-audit-config-'));
  try {
    await writeFile(
      join(dir, '.berth-audit.yaml'),
      [
        'dockerfiles:',
        '  - {path: ./python/Dockerfile, image: registry.example/app/server}',
        '  - {path: python/Dockerfile, image: registry.example/app/worker}',
        '  - {path: python/Dockerfile, image: registry.example/app/worker}',
        '  - {path: web/Dockerfile, image: registry.example/app/web}',
        '',
      ].join('\n'),
    );
    const config = loadConfig({ cwd: dir, knownChecks: new Set() });
    assert.deepEqual(Object.fromEntries(config.dockerfiles), {
      'python/Dockerfile': ['registry.example/app/server', 'registry.example/app/worker'],
      'web/Dockerfile': ['registry.example/app/web'],
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
