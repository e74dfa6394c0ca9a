#!/usr/bin/env node
// Entry point of `berth`: runs the bundle that `npm run build` writes to dist/ (what the published
// package ships). In a checkout without a build, or with BERTH_FROM_SOURCE=1, runs the TypeScript
// sources through tsx, a development dependency. No walk of the source tree at start (ADR 0052):
// after editing sources, `npm run build` (about a second) or set BERTH_FROM_SOURCE=1.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
const source = new URL('../src/cli/main.ts', import.meta.url);

if (process.env.BERTH_FROM_SOURCE !== '1' && existsSync(built)) {
  await import(built.href);
} else if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  process.stderr.write(
    'berth: dist/cli/main.js is missing; reinstall berth or run `npm run build`\n',
  );
  process.exitCode = 1;
}
