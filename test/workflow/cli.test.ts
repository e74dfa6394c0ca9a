// berth workflow and berth validate on workflows, in process: exit codes, positions, JSON, and the
// docs checked against the code (task reference generated from the registry, every task tested).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { taskReference } from '../../src/workflow/docs.ts';
import { builtinTasks } from '../../src/workflow/tasks/index.ts';

const root = join(import.meta.dirname, '..', '..');
const fixture = join(import.meta.dirname, 'fixtures', 'cycle');
const example = (name: string) => join(root, 'examples', 'vapora', 'workflows', `${name}.yaml`);
const MARKER = '<!-- generated: do not edit below this line -->\n';

test('berth validate checks workflows: cycle, unknown step, bad expression, bad duration, all at once (exit 2)', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['validate', fixture], io), 2);
  const lines = captured.err.trimEnd().split('\n');
  const bad = join(fixture, 'workflows', 'bad.yaml');
  assert.deepEqual(
    lines.slice(0, -1).map((l) => l.replace(bad, 'bad.yaml').replace(/ \(hint.*$/, '')),
    [
      'bad.yaml:10:18: spec.steps[0].dependsOn: dependency cycle: a -> b -> a',
      'bad.yaml:14:34: spec.steps[1].params.expressions.scale_to: invalid expression "steps.a.outputs.previous +": Unexpected token: EOF',
      'bad.yaml:18:19: spec.steps[2].dependsOn[0]: unknown step "nope" in dependsOn',
      'bad.yaml:19:16: spec.steps[2].timeout: invalid duration "soon"',
    ],
  );
  assert.equal(lines.at(-1), '4 errors found.');
  assert.doesNotMatch(captured.err, /\n\s+at /);
});

test('berth validate accepts the vapora workspace with its four workflows', async () => {
  const { io } = memoryIO();
  assert.equal(await runCli(['validate', join(root, 'examples', 'vapora')], io), 0);
});

test('berth workflow graph: text waves, Mermaid, DOT; a bad file exits 2 with positions', async () => {
  for (const [format, re] of [
    ['text', /wave 5\n {2}deploy-frontend \(apply\) {2}after deploy-core\n {2}deploy-agents/],
    ['mermaid', /flowchart TD[\s\S]*deploy_agents --> health_check/],
    ['dot', /digraph "deploy-full-stack"[\s\S]*"deploy-agents" -> "health-check";/],
  ] as const) {
    const { io, captured } = memoryIO();
    assert.equal(
      await runCli(['workflow', 'graph', example('deploy-full-stack'), '--format', format], io),
      0,
    );
    assert.match(captured.out, re);
  }
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['workflow', 'graph', join(fixture, 'workflows', 'bad.yaml')], io), 2);
  assert.match(captured.err, /bad\.yaml:10:18: .*dependency cycle: a -> b -> a/);
});

test('berth workflow run --dry-run prints the plan; bad params exit 2', async () => {
  const { io, captured } = memoryIO({ env: {} });
  assert.equal(
    await runCli(['workflow', 'run', example('scale-agents'), '--dry-run', '-o', 'json'], io),
    0,
  );
  assert.deepEqual(JSON.parse(captured.out), {
    workflow: 'scale-agents',
    waves: [['check-queue-depth', 'current-replicas'], ['decide-scaling'], ['execute-scaling']],
  });
  const bad = memoryIO({ env: {} });
  assert.equal(
    await runCli(['workflow', 'run', example('upgrade-vapora'), '--param', 'VERSIO=1'], bad.io),
    2,
  );
  assert.match(bad.captured.err, /unknown parameter "VERSIO"/);
  assert.match(bad.captured.err, /parameter "VERSION" is required/);
});

test('docs/workflows.md: the task reference is generated from the registry', async () => {
  const path = join(root, 'docs', 'workflows.md');
  const text = await readFile(path, 'utf8');
  const expected = `${text.split(MARKER)[0] ?? text}${MARKER}\n${taskReference(builtinTasks)}`;
  if (process.env.BERTH_UPDATE_GOLDEN === '1') await writeFile(path, expected);
  else assert.ok(text === expected, 'docs/workflows.md is stale: run BERTH_UPDATE_GOLDEN=1');
  for (const sub of ['run', 'list', 'status', 'resume', 'cancel', 'approve', 'graph'])
    assert.match(text, new RegExp(`berth workflow ${sub}`), sub);
});

test('every task: kebab-case id, summary, docs, described params, a unit test', async () => {
  const tests = await readFile(join(root, 'src', 'workflow', 'tasks', 'tasks.test.ts'), 'utf8');
  const ids = new Set<string>();
  for (const t of builtinTasks) {
    assert.match(t.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(!ids.has(t.id), `duplicate ${t.id}`);
    ids.add(t.id);
    assert.ok(t.summary.endsWith('.') && t.docs.length > 20, t.id);
    assert.equal(t.params.node.type, 'object', t.id);
    assert.match(tests, new RegExp(`task ${t.id}[: ]`), `${t.id} has no test in tasks.test.ts`);
  }
});
