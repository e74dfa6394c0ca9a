// berth audit through the CLI: exit codes, formats, stdin, suppression, configuration, and the
// agreement of --help with docs/audit.md and of docs/checks.md with the registry.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { checks } from '../../src/audit/checks/index.ts';
import { renderChecksDoc } from '../../src/audit/output/checks-doc.ts';
import { buildProgram, runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures', 'checks');

async function cli(
  args: string[],
  options: { cwd?: string; stdin?: string; isTTY?: boolean } = {},
) {
  const { io, captured } = memoryIO({ cwd: options.cwd ?? fixtures, stdin: options.stdin });
  if (options.isTTY) io.isTTY = true;
  const code = await runCli(['audit', ...args], io);
  return { code, out: captured.out, err: captured.err };
}

async function tempWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-audit-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

test('--help lists exactly the options docs/audit.md documents', async () => {
  const { io } = memoryIO();
  const program = await buildProgram(io, () => undefined);
  const command = program.commands.find((c) => c.name() === 'audit');
  assert.ok(command);
  const flags = command
    .createHelp()
    .visibleOptions(command)
    .map((o) => o.flags)
    .sort();
  const docs = readFileSync(join(root, 'docs', 'audit.md'), 'utf8');
  const section = docs.slice(docs.indexOf('### Options'), docs.indexOf('### Exit codes'));
  const documented = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '').sort();
  assert.deepEqual(documented, flags);
  assert.ok(docs.includes('berth audit [options] [paths...]'), 'the usage line');
  assert.equal(command.usage(), '[options] [paths...]');
});

test('docs/checks.md is generated from the registry (run npm run docs:checks)', () => {
  assert.equal(readFileSync(join(root, 'docs', 'checks.md'), 'utf8'), renderChecksDoc(checks));
});

test('exit codes: 0 clean, 1 findings at --fail-on, 2 invalid input or usage', async () => {
  const cases: [string[], number][] = [
    [['seccomp-profile/pass.yaml'], 0],
    [['seccomp-profile/fail.yaml'], 1],
    [['seccomp-profile/fail.yaml', '--fail-on', 'none'], 0],
    [['resource-limits/fail.yaml', '--include', 'resource-limits'], 0],
    [['resource-limits/fail.yaml', '--include', 'resource-limits', '--fail-on', 'warning'], 1],
    [['parse-error/fail.yaml'], 2],
    [['no-such-file.yaml'], 2],
    [['seccomp-profile/pass.yaml', '--include', 'no-such-check'], 2],
    [['seccomp-profile/pass.yaml', '--format', 'xml'], 2],
    [['seccomp-profile/pass.yaml', '--dry-run'], 2],
  ];
  for (const [args, code] of cases) assert.equal((await cli(args)).code, code, args.join(' '));
});

test('unparseable YAML is a finding with its position, and the other files are still audited', async () => {
  const dir = await tempWith({
    'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: [1, 2}\n',
    'good.yaml': readFileSync(join(fixtures, 'seccomp-profile', 'fail.yaml'), 'utf8'),
  });
  try {
    const { code, out } = await cli(['.', '--format', 'json'], { cwd: dir });
    assert.equal(code, 2);
    const json = JSON.parse(out) as { findings: { check: string; file: string; line: number }[] };
    const parse = json.findings.find((f) => f.check === 'parse-error');
    assert.equal(parse?.file, 'broken.yaml');
    assert.equal(parse?.line, 5);
    assert.ok(json.findings.some((f) => f.check === 'seccomp-profile' && f.file === 'good.yaml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('text output: file:line, colour only on a TTY', async () => {
  const plain = await cli(['seccomp-profile/fail.yaml', '--include', 'seccomp-profile']);
  assert.match(
    plain.out,
    /^seccomp-profile\/fail\.yaml:\d+: error seccomp-profile: Deployment shop\/api: /m,
  );
  assert.ok(!plain.out.includes('\u001b['));
  const tty = await cli(['seccomp-profile/fail.yaml', '--include', 'seccomp-profile'], {
    isTTY: true,
  });
  assert.ok(tty.out.includes('\u001b[31merror\u001b[0m'));
});

test('json output has the documented shape', async () => {
  const { out } = await cli([
    'seccomp-profile/fail.yaml',
    '--format',
    'json',
    '--include',
    'seccomp-profile,image-tag',
  ]);
  const json = JSON.parse(out) as {
    version: number;
    findings: Record<string, unknown>[];
    summary: Record<string, unknown>;
  };
  assert.equal(json.version, 1);
  assert.equal(json.findings.length, 1);
  const finding = json.findings[0] ?? {};
  assert.deepEqual(Object.keys(finding), [
    'check',
    'severity',
    'object',
    'file',
    'line',
    'path',
    'message',
    'remediation',
    'fixable',
  ]);
  assert.deepEqual(finding.object, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'api',
  });
  assert.equal(finding.fixable, true);
  const podSecurityContextLine =
    readFileSync(join(fixtures, 'seccomp-profile', 'fail.yaml'), 'utf8')
      .split('\n')
      .findIndex((l) => l === '      securityContext:') + 1;
  assert.equal(finding.line, podSecurityContextLine, 'the line of the pod securityContext');
  assert.deepEqual(json.summary.bySeverity, { error: 1, warning: 0, info: 0 });
  assert.equal(json.summary.checks, 2);
});

// The parts of SARIF 2.1.0 that GitHub code scanning requires or reads.
const sarifSchema = {
  type: 'object',
  required: ['version', 'runs', '$schema'],
  properties: {
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'help', 'defaultConfiguration'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { type: 'object', required: ['text'] },
                        help: { type: 'object', required: ['text'] },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level: { enum: ['error', 'warning', 'note', 'none'] } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'locations', 'level'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['error', 'warning', 'note', 'none'] },
                message: {
                  type: 'object',
                  required: ['text'],
                  properties: { text: { type: 'string', minLength: 1 } },
                },
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            required: ['uri'],
                            properties: { uri: { type: 'string', pattern: '^[^/\\\\]' } },
                          },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: { startLine: { type: 'integer', minimum: 1 } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

test('sarif output is SARIF 2.1.0 as GitHub code scanning reads it', async () => {
  const { out } = await cli([
    'dockerfile-user/fail.Dockerfile',
    'seccomp-profile/fail.yaml',
    '--format',
    'sarif',
  ]);
  const log = JSON.parse(out) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; ruleIndex: number }[];
    }[];
  };
  const validate = new Ajv({ strict: false }).compile(sarifSchema);
  assert.ok(validate(log), JSON.stringify(validate.errors));
  const run = log.runs[0];
  assert.ok(run);
  assert.equal(run.tool.driver.rules.length, checks.length);
  assert.ok(run.results.length >= 2);
  for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId);
  const rules = run.tool.driver.rules as unknown as { fullDescription: { text: string } }[];
  for (const rule of rules) assert.ok(rule.fullDescription.text.length <= 1000);
});

test('stdin: helm template | berth audit -', async () => {
  const stdin = readFileSync(join(fixtures, 'seccomp-profile', 'fail.yaml'), 'utf8');
  const { code, out } = await cli(['-', '--include', 'seccomp-profile'], { stdin });
  assert.equal(code, 1);
  assert.match(out, /^<stdin>:\d+: error seccomp-profile/m);
});

const deployment = readFileSync(join(fixtures, 'host-port', 'fail.yaml'), 'utf8');

test('suppression: on the object or its pod template, with a reason, until an expiry date', async () => {
  const annotate = (where: 'object' | 'template', value: string): string =>
    where === 'object'
      ? deployment.replace(
          '  name: api\n  namespace: shop\n',
          `  name: api\n  namespace: shop\n  annotations:\n    berth.dev/ignore: "${value}"\n`,
        )
      : deployment.replace(
          '      annotations:\n',
          `      annotations:\n        berth.dev/ignore: "${value}"\n`,
        );
  const cases: [string, string, string[]][] = [
    ['object', 'host-port: node exporter binds the node port', []],
    ['template', 'host-port: node exporter binds the node port', []],
    ['object', 'image-tag: pinned upstream; host-port: node exporter (until 2099-12-31)', []],
    ['object', 'host-port: expired exception until 2020-01-01', ['host-port']],
    ['object', 'host-port', ['host-port', 'invalid-suppression']],
    ['object', 'host-prot: typo', ['host-port', 'invalid-suppression']],
  ];
  for (const [where, value, expected] of cases) {
    const dir = await tempWith({ 'd.yaml': annotate(where as 'object' | 'template', value) });
    try {
      const { out } = await cli(
        ['.', '--format', 'json', '--include', 'host-port,invalid-suppression'],
        { cwd: dir },
      );
      const json = JSON.parse(out) as {
        findings: { check: string; message: string }[];
        summary: { suppressed: number };
      };
      assert.deepEqual(json.findings.map((f) => f.check).sort(), expected, `${where}: ${value}`);
      if (value.includes('2020'))
        assert.match(json.findings[0]?.message ?? '', /suppression expired on 2020-01-01/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
});

test('suppression in Dockerfiles: # berth:ignore above the instruction, or for the whole file', async () => {
  const base = readFileSync(join(fixtures, 'dockerfile-healthcheck', 'fail.Dockerfile'), 'utf8');
  const cases: [string, number][] = [
    [base, 1],
    [
      base.replace(
        'HEALTHCHECK',
        '# berth:ignore dockerfile-healthcheck also runs under Compose\nHEALTHCHECK',
      ),
      0,
    ],
    [`# berth:ignore-file dockerfile-healthcheck Compose image\n${base}`, 0],
    [base.replace('HEALTHCHECK', '# berth:ignore dockerfile-healthcheck\nHEALTHCHECK'), 2],
  ];
  for (const [text, count] of cases) {
    const dir = await tempWith({ Dockerfile: text });
    try {
      const { out } = await cli(['.', '--format', 'json'], { cwd: dir });
      const json = JSON.parse(out) as { findings: { check: string }[] };
      const relevant = json.findings.filter(
        (f) => f.check === 'dockerfile-healthcheck' || f.check === 'invalid-suppression',
      );
      assert.equal(relevant.length, count, text.split('\n').slice(0, 2).join(' | '));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
});

test('.berth-audit.yaml: exclude, severity overrides, path ignores; invalid config exits 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-audit-config-'));
  try {
    await cp(join(fixtures, 'seccomp-profile', 'fail.yaml'), join(dir, 'app.yaml'));
    await mkdir(join(dir, 'vendor'));
    await cp(join(fixtures, 'host-port', 'fail.yaml'), join(dir, 'vendor', 'chart.yaml'));
    const unconfigured = await cli(['vendor', '--format', 'json', '--include', 'host-port'], {
      cwd: dir,
    });
    assert.equal(
      (JSON.parse(unconfigured.out) as { findings: unknown[] }).findings.length,
      1,
      'the chart has a finding',
    );
    await writeFile(
      join(dir, '.berth-audit.yaml'),
      'checks:\n  exclude: [image-tag]\nseverity:\n  seccomp-profile: warning\nignorePaths:\n  - vendor/**\n',
    );
    const { out } = await cli(
      ['.', '--format', 'json', '--include', 'seccomp-profile,host-port,image-tag'],
      { cwd: dir },
    );
    const json = JSON.parse(out) as {
      findings: { check: string; severity: string; file: string }[];
    };
    assert.deepEqual(
      json.findings.map((f) => `${f.check} ${f.severity} ${f.file}`),
      ['seccomp-profile warning app.yaml'],
    );
    await writeFile(
      join(dir, '.berth-audit.yaml'),
      'checks:\n  exclude: [no-such-check]\nseverty: {}\n',
    );
    const bad = await cli(['.'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /\.berth-audit\.yaml:2:\d+: checks\.exclude\.0: unknown check "no-such-check"/,
    );
    assert.match(bad.err, /unknown field "severty"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--fix --dry-run prints a unified diff and writes nothing; --fix writes, keeps comments, and is idempotent', async () => {
  const original =
    '# the api\n' +
    readFileSync(join(fixtures, 'allow-privilege-escalation', 'fail.yaml'), 'utf8').replace(
      'replicas: 2',
      'replicas: 2 # two for HA',
    );
  const dir = await tempWith({ 'api.yaml': original });
  try {
    const dry = await cli(['.', '--fix', '--dry-run', '--include', 'allow-privilege-escalation'], {
      cwd: dir,
    });
    assert.match(dry.out, /^--- a\/api\.yaml/m);
    assert.match(dry.out, /^\+ +allowPrivilegeEscalation: false$/m);
    assert.match(dry.err, /would fix 1 finding in 1 file/);
    assert.equal(await readFile(join(dir, 'api.yaml'), 'utf8'), original);
    const fixed = await cli(['.', '--fix', '--include', 'allow-privilege-escalation'], {
      cwd: dir,
    });
    assert.equal(fixed.code, 0);
    const after = await readFile(join(dir, 'api.yaml'), 'utf8');
    assert.ok(after.startsWith('# the api\n'));
    assert.ok(after.includes('replicas: 2 # two for HA'));
    const removed = original.split('\n').filter((l) => !after.split('\n').includes(l));
    assert.deepEqual(removed, [], 'no original line changed');
    await cli(['.', '--fix', '--include', 'allow-privilege-escalation'], { cwd: dir });
    assert.equal(await readFile(join(dir, 'api.yaml'), 'utf8'), after, 'second --fix is a no-op');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('objects with fields of unexpected types are reported, never crash the run, and --fix keeps YAML valid', async () => {
  const source = join(import.meta.dirname, 'fixtures', 'malformed', 'wrong-types.yaml');
  const dir = await tempWith({ 'w.yaml': readFileSync(source, 'utf8') });
  try {
    const { code, out, err } = await cli(['.', '--format', 'json'], { cwd: dir });
    assert.equal(err, '');
    assert.ok(code === 1 || code === 2, `exit ${code}`);
    const json = JSON.parse(out) as { findings: { check: string; message: string }[] };
    assert.ok(json.findings.length > 5);
    assert.ok(
      !json.findings.some((f) => f.message.includes('could not read the input')),
      'every check copes with the shapes',
    );
    const fixed = await cli(['.', '--fix'], { cwd: dir });
    assert.equal(fixed.err.includes('internal error'), false, fixed.err);
    const again = await cli(['.', '--format', 'json'], { cwd: dir });
    const after = JSON.parse(again.out) as { findings: { check: string }[] };
    assert.ok(
      !after.findings.some((f) => f.check === 'parse-error'),
      'the fixed file still parses',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
