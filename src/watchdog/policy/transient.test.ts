import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyTermination } from './transient.ts';

// [name, termination reason, exit code, log tail, transient?, rule]
const table: [string, string | undefined, number, string, boolean, string][] = [
  ['OOMKilled termination', 'OOMKilled', 137, '', true, 'oom-killed'],
  [
    'Node heap out of memory in the log',
    'Error',
    134,
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    true,
    'oom-killed',
  ],
  [
    'Java OutOfMemoryError',
    'Error',
    1,
    'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
    true,
    'oom-killed',
  ],
  [
    'missing secret',
    'Error',
    1,
    'Error: secret "litellm-master-key" not found',
    true,
    'missing-secret',
  ],
  [
    'API key not set',
    'Error',
    1,
    'fatal: environment variable OPENAI_API_KEY is not set',
    true,
    'missing-secret',
  ],
  ['missing token', 'Error', 1, 'startup failed: missing DISCORD token', true, 'missing-secret'],
  [
    'YAML parse error',
    'Error',
    1,
    'error parsing config.yaml: yaml: line 3: did not find expected key',
    true,
    'config-parse',
  ],
  [
    'JSON config syntax',
    'Error',
    1,
    'SyntaxError: Unexpected token } in JSON at position 41',
    true,
    'config-parse',
  ],
  [
    'invalid configuration',
    'Error',
    2,
    'level=fatal msg="invalid configuration: unknown field routes"',
    true,
    'config-parse',
  ],
  [
    'command not found wins over a loose match',
    'ContainerCannotRun',
    127,
    'exec: "server": executable file not found; config invalid',
    false,
    'image-or-command',
  ],
  [
    'dependency down is not a restart case',
    'Error',
    1,
    'connect ECONNREFUSED 10.0.0.7:5432',
    false,
    'dependency-unavailable',
  ],
  [
    'plain error, no clue',
    'Error',
    1,
    'panic: runtime error: index out of range [3] with length 3',
    false,
    'unknown',
  ],
  ['no termination, no log', undefined, 0, '', false, 'unknown'],
];

for (const [name, reason, exitCode, log, transient, rule] of table) {
  test(`transient classifier: ${name}`, () => {
    const t = reason === undefined ? undefined : { container: 'app', reason, exitCode };
    const v = classifyTermination(t, log);
    assert.equal(v.rule, rule);
    assert.equal(v.transient, transient);
    assert.ok(v.because.length > 10);
  });
}

test('only the last 8 KiB of a log is read (an early line cannot decide for a huge log)', () => {
  const v = classifyTermination(
    { container: 'a', reason: 'Error', exitCode: 1 },
    `secret x not found\n${'.'.repeat(9000)}`,
  );
  assert.equal(v.rule, 'unknown');
});
