#!/usr/bin/env node
// The process entry point: the only place berth exits.
import { runCli } from './run.ts';
import type { CliIO } from './io.ts';

const io: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

const code = await runCli(process.argv.slice(2), io);
process.exitCode = code;
