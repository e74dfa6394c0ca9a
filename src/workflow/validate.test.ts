import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic } from '../errors.ts';
import { parseYamlStream } from '../yaml/stream.ts';
import { parseWorkflows } from './load.ts';
import { builtinTasks } from './tasks/index.ts';

function check(steps: string, extra = '') {
  const text = `apiVersion: berth.dev/v1alpha1
kind: Workflow
metadata:
  name: wf
spec:
${extra}  steps:
${steps}`;
  const { workflows, diagnostics } = parseWorkflows(
    [parseYamlStream(text, 'wf.yaml')],
    builtinTasks,
  );
  return { workflows, errors: diagnostics.map(formatDiagnostic) };
}

const cases: { name: string; steps: string; extra?: string; expect: RegExp[] }[] = [
  {
    name: 'a cycle is named a -> b -> a at its line',
    steps: `    - name: a
      task: sleep
      params: { duration: 1s }
      dependsOn: [b]
    - name: b
      task: sleep
      params: { duration: 1s }
      dependsOn: [a]
`,
    expect: [/^wf\.yaml:10:18: spec\.steps\[0\]\.dependsOn: dependency cycle: a -> b -> a/],
  },
  {
    name: 'an unknown step in dependsOn',
    steps: `    - name: a
      task: sleep
      params: { duration: 1s }
      dependsOn: [nope]
`,
    expect: [/wf\.yaml:10:19: spec\.steps\[0\]\.dependsOn\[0\]: unknown step "nope" in dependsOn/],
  },
  {
    name: 'an unknown task, a param the task does not take, a bad duration: all at once',
    steps: `    - name: a
      task: provisioning.addon
    - name: b
      task: scale
      params: { component: api, replicas: 2, replica: 3 }
      timeout: 5 minutes
`,
    expect: [
      /wf\.yaml:8:13: spec\.steps\[0\]\.task: unknown task "provisioning\.addon"/,
      /spec\.steps\[1\]\.params\.replica: scale: unknown field "replica".*did you mean "replicas"/,
      /spec\.steps\[1\]\.timeout: invalid duration "5 minutes"/,
    ],
  },
  {
    name: 'an output no step produces',
    steps: `    - name: a
      task: scale
      when: queue_depth > 10
      params: { component: api, replicas: 2 }
`,
    expect: [
      /spec\.steps\[0\]\.when: expression "queue_depth > 10" reads "queue_depth", which no parameter or earlier step output provides/,
    ],
  },
  {
    name: 'a bad expression',
    steps: `    - name: a
      task: scale
      params: { component: api, replicas: "\${1 +}" }
`,
    expect: [/spec\.steps\[0\]\.params\.replicas: invalid expression "1 \+"/],
  },
  {
    name: 'an output the task does not produce',
    steps: `    - name: a
      task: evaluate
      params: { expressions: { x: "1 + 1" } }
      outputs: [y]
`,
    expect: [/spec\.steps\[0\]\.outputs\[0\]: task evaluate does not produce "y"/],
  },
];

for (const c of cases) {
  test(`validate: ${c.name}`, () => {
    const { errors } = check(c.steps, c.extra);
    assert.equal(errors.length, c.expect.length, errors.join('\n'));
    c.expect.forEach((re, i) => assert.match(errors[i] ?? '', re, errors.join('\n')));
  });
}

test('validate: reading an output is a dependency; ${} params keep their type', () => {
  const { workflows, errors } = check(
    `    - name: check-queue-depth
      task: query
      params: { source: nats, url: "nats://127.0.0.1:4222", stream: S, consumer: C }
      outputs: [queue_depth]
    - name: decide-scaling
      task: evaluate
      params:
        expressions:
          action: 'queue_depth > 10 ? "scale_up" : "no_change"'
          scale_to: least(queue_depth, max_replicas)
      outputs: [action, scale_to]
    - name: execute-scaling
      task: scale
      when: action != "no_change"
      params: { component: "agents-\${AGENT_ROLE}", replicas: "\${scale_to}" }
`,
    `  params:
    - { name: AGENT_ROLE, default: developer }
    - { name: max_replicas, type: int, default: 20 }
`,
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(workflows[0]?.dependencies, {
    'check-queue-depth': [],
    'decide-scaling': ['check-queue-depth'],
    'execute-scaling': ['decide-scaling'],
  });
});
