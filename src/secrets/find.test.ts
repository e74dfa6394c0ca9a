// Table tests of the secret patterns. Samples are synthetic and built by concatenation from a
// seeded generator, so no realistic token appears literally in the repository (scanners stay quiet).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { entropyThreshold, shannonEntropy } from './entropy.ts';
import { findSecrets, hasSecret, maskSecrets } from './find.ts';
import { secretPatterns } from './patterns.ts';

let seed = 12345;
function next(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const alnum = upper + lower + digits;
const b64 = alnum + '+/';
const b64url = alnum + '-_';
function rand(n: number, alphabet = alnum): string {
  let s = '';
  while (s.length < n) s += alphabet[Math.floor(next() * alphabet.length)] ?? 'x';
  return s;
}
/** A random key with the mixed character classes real keys almost always have. */
function key(n: number, alphabet = alnum): string {
  return 'a' + 'Z' + '7' + rand(n - 3, alphabet);
}
const dash5 = '-'.repeat(5);
const pem = (label: string, body: string): string =>
  `${dash5}BEGIN ${label}${dash5}\n${body}\n${dash5}END ${label}${dash5}`;

interface Case {
  id: string;
  /** Texts in which exactly one secret of `id` is found, and the secret part. */
  positive: { text: string; secret: string }[];
  /** Texts in which no secret at all is found. */
  negative: string[];
}

const akid = 'AK' + 'IA' + rand(16, upper + '234567');
const awsSecret = key(40, b64);
const gcpKey = 'AI' + 'za' + rand(35, b64url);
const azureKey = key(86, b64) + '==';
const ghp = 'gh' + 'p_' + key(36);
const ghFine = 'github' + '_pat_' + rand(22) + '_' + rand(59);
const glpat = 'gl' + 'pat-' + rand(20, b64url);
const xoxb = 'xo' + 'xb-' + rand(12, digits) + '-' + rand(13, digits) + '-' + rand(24);
const slackPath = 'T' + rand(10, upper + digits) + '/B' + rand(10, upper + digits) + '/' + rand(24);
const discordToken = key(68, b64url);
const discordBot = 'M' + rand(25, b64url) + '.' + rand(6, b64url) + '.' + rand(38, b64url);
const jwtText =
  'ey' + 'J' + rand(30, b64url) + '.' + 'ey' + 'J' + rand(60, b64url) + '.' + rand(43, b64url);
const openai = 's' + 'k-proj-' + rand(48, b64url);
const azureSecret = rand(3) + '8' + 'Q~' + rand(34);
const generic = key(32, b64);
const genericHex = rand(40, '0123456789abcdef');

const cases: Case[] = [
  {
    id: 'pem-private-key',
    positive: [
      { text: pem('RSA PRIVATE KEY', rand(64, b64)), secret: '' },
      { text: `key: |\n  ${pem('OPENSSH PRIVATE KEY', rand(70, b64))}`, secret: '' },
      { text: pem('ENCRYPTED PRIVATE KEY', rand(64, b64)), secret: '' },
    ],
    negative: [pem('CERTIFICATE', 'MIIB'), pem('PUBLIC KEY', 'MIIB'), 'BEGIN PRIVATE KEY'],
  },
  {
    id: 'aws-access-key-id',
    positive: [{ text: `AWS_ACCESS_KEY_ID=${akid}`, secret: akid }],
    negative: ['AKIA' + 'short', 'XAKIA' + rand(16, upper).toLowerCase()],
  },
  {
    id: 'aws-secret-access-key',
    positive: [
      { text: `aws_secret_access_key = ${awsSecret}`, secret: awsSecret },
      { text: `"SecretAccessKey": "${awsSecret}"`, secret: awsSecret },
    ],
    negative: ['aws_secret_access_key = $(AWS_SECRET)'],
  },
  {
    id: 'gcp-service-account-key',
    positive: [
      {
        text: `{"type": "service_account", "private_key_id": "${genericHex}"}`,
        secret: genericHex,
      },
    ],
    negative: ['{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}'],
  },
  {
    id: 'gcp-api-key',
    positive: [{ text: `key=${gcpKey}`, secret: gcpKey }],
    negative: ['AIza-too-short'],
  },
  {
    id: 'azure-storage-key',
    positive: [
      {
        text: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${azureKey};EndpointSuffix=core.windows.net`,
        secret: azureKey,
      },
      {
        text: `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=${awsSecret}=`,
        secret: '',
      },
    ],
    negative: ['AccountName=acct;EndpointSuffix=core.windows.net'],
  },
  {
    id: 'azure-sas-signature',
    positive: [
      {
        text: `https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=${rand(43, alnum)}%3D`,
        secret: '',
      },
    ],
    negative: ['https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r'],
  },
  {
    id: 'azure-client-secret',
    positive: [{ text: `AZURE_CLIENT_SECRET=${azureSecret}`, secret: azureSecret }],
    negative: ['Q~ alone'],
  },
  {
    id: 'oci-api-key-passphrase',
    positive: [
      {
        text: '[DEFAULT]\nuser=ocid1.user.oc1..aaaa\npass_phrase=hunter2hunter',
        secret: 'hunter2hunter',
      },
    ],
    negative: ['[DEFAULT]\nuser=ocid1.user.oc1..aaaa\nfingerprint=20:3b:97:13'],
  },
  {
    id: 'oci-registry-auth',
    positive: [
      {
        text: `{"auths":{"ghcr.io":{"auth":"${Buffer.from('user:' + rand(12)).toString('base64')}"}}}`,
        secret: '',
      },
    ],
    negative: ['{"auths":{"ghcr.io":{}}}'],
  },
  {
    id: 'github-token',
    positive: [
      { text: `GITHUB_TOKEN=${ghp}`, secret: ghp },
      { text: `token: ${ghFine}`, secret: ghFine },
    ],
    negative: ['ghp_short', 'the ghp_ prefix'],
  },
  {
    id: 'gitlab-token',
    positive: [{ text: `CI_TOKEN="${glpat}"`, secret: glpat }],
    negative: ['glpat-', 'glpat-short'],
  },
  {
    id: 'slack-token',
    positive: [{ text: `SLACK_BOT_TOKEN: ${xoxb}`, secret: xoxb }],
    negative: ['xoxb-'],
  },
  {
    id: 'slack-webhook',
    positive: [{ text: `url: https://hooks.slack.com/services/${slackPath}`, secret: slackPath }],
    negative: ['https://hooks.slack.com/'],
  },
  {
    id: 'discord-webhook',
    positive: [
      {
        text: `https://discord.com/api/webhooks/123456789012345678/${discordToken}`,
        secret: discordToken,
      },
    ],
    negative: ['https://discord.com/api/webhooks/123456789012345678/'],
  },
  {
    id: 'discord-bot-token',
    positive: [{ text: `DISCORD_TOKEN=${discordBot}`, secret: discordBot }],
    negative: ['M.a.b'],
  },
  {
    id: 'openai-api-key',
    positive: [{ text: `OPENAI_API_KEY=${openai}`, secret: openai }],
    negative: ['sk-short', 'task-runner-for-the-platform'],
  },
  {
    id: 'jwt',
    positive: [{ text: `Authorization: Bearer ${jwtText}`, secret: jwtText }],
    negative: ['eyJ.eyJ.', 'the header eyJ alone'],
  },
  {
    id: 'url-credentials',
    positive: [
      { text: 'DATABASE_URL=postgres://app:s3cr3t-pw@db:5432/app', secret: 's3cr3t-pw' },
      { text: 'connecting to redis://:s3cr3tpw0rd@redis:6379/0', secret: 's3cr3tpw0rd' },
    ],
    negative: [
      'postgres://app:$(DB_PASSWORD)@db:5432/app',
      'postgres://db:5432/app',
      'http://localhost:8080/path',
      'redis://redis:6379/0',
      'redis://:$(REDIS_PASSWORD)@redis:6379',
    ],
  },
  {
    id: 'bearer-token',
    positive: [
      { text: 'Authorization: Bearer abc.def-123456', secret: 'abc.def-123456' },
      { text: 'authorization: Basic dXNlcjpwYXNz', secret: 'dXNlcjpwYXNz' },
    ],
    negative: ['Authorization: Bearer $TOKEN', 'a Bearer scheme', 'Basic auth is mandatory'],
  },
  {
    id: 'secret-assignment',
    positive: [
      {
        text: 'connecting with DB_PASSWORD=Pa55w0rd-from-the-Secret',
        secret: 'Pa55w0rd-from-the-Secret',
      },
      { text: 'password: hunter22', secret: 'hunter22' },
      { text: 'PASSWD=letmein1', secret: 'letmein1' },
      { text: 'export GITHUB_TOKEN="abc123def"', secret: 'abc123def' },
      { text: "client_secret: 'qwerty-42'", secret: 'qwerty-42' },
      { text: 'STRIPE_API_KEY=live_1234', secret: 'live_1234' },
      { text: 'apiKey: k-1234-x', secret: 'k-1234-x' },
      { text: 'dbPassword=abcd9', secret: 'abcd9' },
      { text: 'tls.private-key: mysecretkey', secret: 'mysecretkey' },
      { text: 'AWS_CREDENTIALS=creds-42', secret: 'creds-42' },
      { text: '{"token": "tok-12345"}', secret: 'tok-12345' },
      { text: 'level=error msg="login" app.secret=s3cr3t&x=1', secret: 's3cr3t' },
    ],
    negative: [
      'password policy updated',
      'token bucket refilled',
      'the password was rotated yesterday',
      'TOKEN_TTL=3600',
      'password_policy: strict',
      'passwordFile: /etc/berth/password',
      'existingSecret: db-credentials',
      'apiKey:\n  secret: berth-env\n  key: api-key',
      'secretName: db-credentials',
      'tokenBucketSize=100',
      'PASSWORD=${DB_PASSWORD}',
      'PASSWORD=$(DB_PASSWORD)',
      'DB_PASSWORD=[redacted:secret-assignment]',
      'token: <none>',
      'password: ***',
      'auth: true',
      'pwd=/home/berth',
      'password=abc',
    ],
  },
  {
    id: 'secret-after-word',
    positive: [
      {
        text: 'login failed for user admin password Hunter2-Cloud-9 rejected',
        secret: 'Hunter2-Cloud-9',
      },
      { text: 'using token abc123def', secret: 'abc123def' },
    ],
    negative: [
      'password policy updated',
      'token bucket refilled',
      'password was rotated 3 days ago',
      'token v1.2.3 format',
      'password $(DB_PASSWORD)',
    ],
  },
  {
    id: 'generic-high-entropy',
    positive: [{ text: `value: ${generic}`, secret: generic }],
    negative: [
      'ReadWriteOnceAccessMode',
      'KUBERNETES_SERVICE_HOST_NAME',
      'ThisIsMyApplication2024Name',
      '/opt/venv/lib/python3.12/site-packages',
      '123e4567-e89b-42d3-a456-426614174000',
      'io.k8s.api.core.v1.PodSpec',
      'ghcr.io/org/server:v1.2.3',
    ],
  },
  {
    id: 'generic-hex',
    positive: [{ text: `shared: ${genericHex}`, secret: genericHex }],
    negative: [`image: app@sha256:${rand(64, '0123456789abcdef')}`, 'deadbeef'],
  },
];

describe('secret patterns', () => {
  test('every pattern has a table case, and every case a pattern', () => {
    assert.deepEqual(cases.map((c) => c.id).sort(), secretPatterns.map((p) => p.id).sort());
  });

  for (const c of cases) {
    test(`${c.id}: positives`, () => {
      for (const p of c.positive) {
        const found = findSecrets(p.text);
        assert.deepEqual(
          found.map((f) => f.id),
          [c.id],
          `expected one ${c.id} in ${p.text.length} chars`,
        );
        const match = found[0];
        assert.ok(match);
        if (p.secret !== '') assert.equal(p.text.slice(match.start, match.end), p.secret);
        const masked = maskSecrets(p.text);
        assert.ok(masked.includes(`[redacted:${c.id}]`));
        if (p.secret !== '') assert.ok(!masked.includes(p.secret));
      }
    });
    test(`${c.id}: negatives`, () => {
      for (const text of c.negative)
        assert.deepEqual(findSecrets(text), [], `no secret expected in ${JSON.stringify(text)}`);
    });
  }

  test('every entry has an id, description, docs and a g+d regex', () => {
    const ids = new Set<string>();
    for (const p of secretPatterns) {
      assert.match(p.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(!ids.has(p.id), `duplicate ${p.id}`);
      ids.add(p.id);
      assert.ok(p.description.length > 10 && p.docs.length > 10);
      assert.ok(p.regex.flags.includes('g') && p.regex.flags.includes('d'), p.id);
    }
  });

  test('docs/secrets.md lists every pattern id', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/secrets.md'), 'utf8');
    for (const p of secretPatterns) assert.ok(doc.includes(`\`${p.id}\``), p.id);
  });
});

describe('findSecrets and maskSecrets', () => {
  test('positions are 1-based lines and columns', () => {
    const text = `a: 1\nb: ${ghp}\n`;
    const [m] = findSecrets(text);
    assert.deepEqual({ line: m?.line, column: m?.column }, { line: 2, column: 4 });
  });

  test('several secrets in one text, the rest byte-identical', () => {
    const text = `token=${ghp} and url=https://discord.com/api/webhooks/1/${discordToken} ok`;
    assert.equal(
      maskSecrets(text),
      'token=[redacted:github-token] and url=https://discord.com/api/webhooks/1/[redacted:discord-webhook] ok',
    );
  });

  test('a custom replacement and excluded ids', () => {
    assert.equal(maskSecrets(`k=${ghp}`, { replacement: () => '***' }), 'k=***');
    assert.equal(hasSecret(`x ${genericHex}`, { exclude: ['generic-hex'] }), false);
    assert.equal(hasSecret(`x ${genericHex}`), true);
  });

  test('certificates, public keys and SSH public keys are not secrets', () => {
    const body = Array.from({ length: 4 }, () => rand(64, b64)).join('\n');
    assert.deepEqual(findSecrets(pem('CERTIFICATE', body)), []);
    assert.deepEqual(findSecrets(pem('PUBLIC KEY', body)), []);
    assert.deepEqual(findSecrets(`ssh-ed25519 AAAAC3Nz${rand(60, b64)} user@host`), []);
    // …while a private key next to them still is.
    const both = `${pem('CERTIFICATE', body)}\n${pem('EC PRIVATE KEY', body)}`;
    assert.deepEqual(
      findSecrets(both).map((m) => m.id),
      ['pem-private-key'],
    );
  });

  test('linear in the text: 50,000 secrets on 50,000 lines in well under 5 s', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `k${i}=postgres://u:pw${i}@h/db`);
    const started = Date.now();
    const found = findSecrets(lines.join('\n'));
    assert.equal(found.length, 50_000);
    assert.deepEqual(
      { line: found[49_999]?.line, column: found[49_999]?.column },
      { line: 50_000, column: 21 },
    );
    assert.ok(Date.now() - started < 5000);
  });

  test('text without secrets comes back unchanged', () => {
    const text = 'level=info msg="pod archon/server-0 ready" duration=1.2s';
    assert.equal(maskSecrets(text), text);
  });

  test('the entropy threshold is relative to the length, capped', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(entropyThreshold(20) < entropyThreshold(32));
    assert.equal(entropyThreshold(4096), 4.5);
  });

  test('random base64 keys are found (85 % at 20 characters, 93 % from 30, 97 % from 50)', () => {
    for (const [n, atLeast] of [
      [20, 85],
      [30, 93],
      [50, 97],
      [80, 97],
    ] as const) {
      let found = 0;
      for (let i = 0; i < 200; i++) if (hasSecret(`v: ${rand(n, b64)}`)) found++;
      assert.ok(found >= atLeast * 2, `length ${n}: ${found}/200`);
    }
  });
});
