// `berth serve` on the command line, before it touches a cluster: a bad Watchdog document or bad
// flags exit 2 naming the file:line or the flag; the top-level help lists the command.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { authFromEnv } from '../../src/cli/commands/serve.ts';
import { hashPassword, passwordHashProblem } from '../../src/service/auth.ts';

async function folder(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-serve-cli-'));
  await writeFile(join(dir, 'wd.yaml'), text);
  return dir;
}

const good = 'apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata: { name: x }\nspec: {}\n';

const cases: {
  name: string;
  text: string;
  args: string[];
  env?: Record<string, string>;
  err: RegExp;
}[] = [
  {
    name: 'bad Watchdog document',
    text: 'apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata: { name: x }\nspec:\n  cooldown: soon\n',
    args: [],
    err: /wd\.yaml:5:13: spec\.cooldown: invalid duration "soon"/,
  },
  {
    name: 'lease too short',
    text: good,
    args: ['--lease-seconds', '1'],
    err: /--lease-seconds 1: a whole number, at least 3/,
  },
  {
    name: 'bad listen',
    text: good,
    args: ['--listen', 'nowhere'],
    err: /--listen nowhere: expected host:port/,
  },
  {
    name: 'unknown notify kind',
    text: good,
    args: ['--notify', 'teams=https://x/y'],
    err: /unknown kind "teams"/,
  },
  {
    name: 'bad LLM base URL',
    text: good,
    args: [],
    env: { BERTH_LLM_BASE_URL: 'ftp://x', BERTH_LLM_MODEL: 'm' },
    err: /BERTH_LLM_BASE_URL: ftp:\/\/x is not http\(s\)/,
  },
  {
    name: 'malformed dashboard password hash',
    text: good,
    args: [],
    env: { BERTH_DASHBOARD_USER: 'roger', BERTH_DASHBOARD_PASSWORD_HASH: 'sha256$abc' },
    err: /BERTH_DASHBOARD_PASSWORD_HASH: expected scrypt\$<N>/,
  },
  {
    name: 'dashboard password hash with a bad N',
    text: good,
    args: [],
    env: {
      BERTH_DASHBOARD_USER: 'roger',
      BERTH_DASHBOARD_PASSWORD_HASH: 'scrypt$1000$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==',
    },
    err: /BERTH_DASHBOARD_PASSWORD_HASH: N 1000: a power of 2/,
  },
  {
    name: 'LLM section of the Watchdog document',
    text: `${good.replace('spec: {}', 'spec:\n  llm: { baseURL: "ftp://llm", model: m }')}`,
    args: [],
    err: /ftp:\/\/llm/,
  },
];

for (const c of cases)
  test(`serve: ${c.name} → exit 2`, async () => {
    const dir = await folder(c.text);
    const { io, captured } = memoryIO({ env: { ...c.env } });
    const code = await runCli(['serve', dir, '--kubeconfig', '/nonexistent', ...c.args], io);
    assert.equal(code, 2, captured.err);
    assert.match(captured.err, c.err);
  });

test('serve: dashboard credentials come from the environment', () => {
  assert.deepEqual(authFromEnv({}), {});
  assert.deepEqual(authFromEnv({ BERTH_DASHBOARD_TOKEN: 't' }), { bearerToken: 't' });
  const hash = hashPassword('p');
  assert.deepEqual(
    authFromEnv({ BERTH_DASHBOARD_USER: 'u', BERTH_DASHBOARD_PASSWORD_HASH: hash }),
    {
      basic: { user: 'u', hash },
    },
  );
});

test('serve is in the top-level help', async () => {
  const { io, captured } = memoryIO();
  await runCli(['--help'], io);
  assert.match(captured.out, /^ {2}serve +berth in the cluster/m);
});

test('passwordHashProblem: a made hash passes, malformed ones are named', () => {
  assert.equal(passwordHashProblem(hashPassword('x')), undefined);
  assert.match(passwordHashProblem('') ?? '', /expected scrypt/);
  assert.match(passwordHashProblem('scrypt$16384$8$1$!!$AAAA') ?? '', /salt/);
  assert.match(passwordHashProblem('scrypt$16384$8$1$c2FsdA==$aGFzaA==') ?? '', /16 bytes/);
  assert.match(
    passwordHashProblem('scrypt$1048576$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==') ?? '',
    /64 MiB/,
  );
});
