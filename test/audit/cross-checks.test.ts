// Dockerfile ↔ manifest: what the linked Dockerfile says about the image drives manifest checks
// and fixes (VOLUME paths and the base image's writable paths get emptyDirs).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';

const deployment = readFileSync(
  join(
    import.meta.dirname,
    'fixtures',
    'checks',
    'dockerfile-manifest-user',
    'pass',
    'deployment.yaml',
  ),
  'utf8',
);

test('a linked Dockerfile VOLUME and nginx base image become writable paths the fix mounts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-cross-'));
  try {
    await writeFile(join(dir, 'deployment.yaml'), deployment);
    await writeFile(
      join(dir, 'Dockerfile'),
      '# berth:image registry.example.com/shop/api\nFROM nginx:1.27.2 AS web\nVOLUME ["/data"]\nUSER 1001:1001\nEXPOSE 8080\nCMD ["nginx", "-g", "daemon off;"]\n',
    );
    const run = (fix: boolean) =>
      audit({
        paths: ['.'],
        cwd: dir,
        readStdin: () => Promise.resolve(''),
        include: ['writable-paths-mounted'],
        fix,
        today: '2026-01-01',
        version: 'test',
      });
    const before = await run(false);
    assert.equal(before.findings.length, 1);
    assert.match(
      before.findings[0]?.message ?? '',
      /nothing mounted at \/var\/cache\/nginx, \/var\/run, \/var\/log\/nginx, \/data/,
    );
    const after = await run(true);
    assert.deepEqual(after.findings, []);
    const text = await readFile(join(dir, 'deployment.yaml'), 'utf8');
    for (const path of ['/data', '/var/cache/nginx', '/var/run', '/var/log/nginx'])
      assert.ok(text.includes(`mountPath: ${path}`), path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
