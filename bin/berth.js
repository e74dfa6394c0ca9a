#!/usr/bin/env node
// Entry point of `berth`: runs the bundle that `npm run build` writes to dist/ (what the published
// package ships). In a checkout without a build, or with BERTH_FROM_SOURCE=1, runs the TypeScript
// sources through tsx, a development dependency. No walk of the source tree at start (ADR 0052):
// after editing sources, `npm run build` (about a second) or set BERTH_FROM_SOURCE=1.
//
// A CommonJS file (bin/package.json): an ES module here would start Node's ES-module loader,
// about 10 ms of every start-up. dist/cli/start.cjs answers --version and runs `audit` without
// it, and imports dist/cli/main.js for the other commands (ADR 0165).
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file on purpose (above) */
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const dist = join(__dirname, '..', 'dist', 'cli');
const source = join(__dirname, '..', 'src', 'cli', 'main.ts');
const fromSource = process.env.BERTH_FROM_SOURCE === '1';

if (!fromSource && existsSync(join(dist, 'start.cjs'))) {
  require(join(dist, 'start.cjs'));
} else if (!fromSource && existsSync(join(dist, 'main.js'))) {
  // A dist/ built before start.cjs existed (a checkout updated without `npm run build`).
  void import(pathToFileURL(join(dist, 'main.js')).href);
} else if (existsSync(source)) {
  void import('tsx/esm/api').then(({ register }) => {
    register();
    return import(pathToFileURL(source).href);
  });
} else {
  process.stderr.write(
    'berth: dist/cli/main.js is missing; reinstall berth or run `npm run build`\n',
  );
  process.exitCode = 1;
}
