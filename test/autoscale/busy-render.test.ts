// What `scaling.busyToken` renders (ADR 0135), without a cluster: the pod-bound projected token
// (and no automounted one), a patch-only Role, the API-server egress, the admission policy and
// its binding applied before the workloads; and the policy's CEL rules evaluated (standard CEL,
// @marcbachmann/cel-js) on a table of pod updates. The sandbox test (busy.test.ts) checks the
// same rules in a real API server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Environment } from '@marcbachmann/cel-js';
import { phaseOf } from '../../src/deploy/plan/phases.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { BUSY_TOKEN_DIR } from '../../src/render/busy.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import { vaporaDir } from './support.ts';

type Json = Record<string, unknown>;

async function rendered(busyToken: boolean): Promise<KubeObject[]> {
  const ws = await loadWorkspace(vaporaDir);
  for (const c of ws.components) if (c.kind === 'AgentPool') c.spec.scaling.busyToken = busyToken;
  return renderWorkspace(ws).filter(
    (o) => o.metadata.labels?.['berth.dev/component'] === 'developer',
  );
}

const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

test('without busyToken: no token, no Role, no policy', async () => {
  const objects = await rendered(false);
  for (const kind of ['Role', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'])
    assert.equal(find(objects, kind), undefined, kind);
  const pod = ((find(objects, 'Deployment')?.spec as Json).template as Json).spec as Json;
  assert.equal(JSON.stringify(pod).includes('serviceAccountToken'), false);
});

test('with busyToken: a pod-bound 10-minute token, patch on pods only, egress to the API server, the policy first', async () => {
  const objects = await rendered(true);
  const pod = ((find(objects, 'Deployment')?.spec as Json).template as Json).spec as {
    automountServiceAccountToken: boolean;
    volumes: { name: string; projected?: { sources: Json[] } }[];
    containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
  };
  assert.equal(pod.automountServiceAccountToken, false);
  const volume = pod.volumes.find((v) => v.name === 'berth-busy-token');
  assert.deepEqual(volume?.projected?.sources[0], {
    serviceAccountToken: { path: 'token', expirationSeconds: 600 },
  });
  assert.deepEqual(
    pod.containers[0]?.volumeMounts.find((m) => m.name === 'berth-busy-token'),
    { name: 'berth-busy-token', mountPath: BUSY_TOKEN_DIR, readOnly: true },
  );
  assert.deepEqual(find(objects, 'Role', 'developer-busy')?.rules, [
    { apiGroups: [''], resources: ['pods'], verbs: ['patch'] },
  ]);
  const egress = find(objects, 'NetworkPolicy', 'developer-busy-api')?.spec as Json;
  assert.deepEqual(egress.policyTypes, ['Egress']);
  const vap = find(objects, 'ValidatingAdmissionPolicy');
  const binding = find(objects, 'ValidatingAdmissionPolicyBinding');
  assert.ok(vap && binding);
  assert.equal((binding.spec as Json).policyName, vap.metadata.name);
  assert.deepEqual((binding.spec as Json).validationActions, ['Deny']);
  assert.deepEqual((vap.spec as Json).matchConditions, [
    {
      name: 'pool-agents',
      expression: "request.userInfo.username == 'system:serviceaccount:vapora-agents:developer'",
    },
  ]);
  for (const o of [vap, binding]) assert.equal(phaseOf(o), 'config', 'applied before the pods');
});

const OWN = 'developer-abc';
const pod = (
  o: { annotations?: Json; labels?: Json; spec?: Json; finalizers?: string[] } = {},
) => ({
  metadata: {
    name: OWN,
    labels: o.labels ?? { 'app.kubernetes.io/name': 'developer' },
    ...(o.annotations ? { annotations: o.annotations } : {}),
    ...(o.finalizers ? { finalizers: o.finalizers } : {}),
  },
  spec: o.spec ?? { containers: [{ name: 'developer' }] },
});
const before = pod({ annotations: { 'berth.dev/config-hash': 'h' } });

test('the policy admits only berth.dev/busy on the pod the token is bound to', async () => {
  const vap = find(await rendered(true), 'ValidatingAdmissionPolicy');
  const spec = vap?.spec as {
    variables: { name: string; expression: string }[];
    validations: { expression: string }[];
  };
  let env = new Environment({ homogeneousAggregateLiterals: false });
  for (const name of ['object', 'oldObject', 'request', 'variables'])
    env = env.registerVariable(name, 'dyn');
  const admitted = (object: Json, oldObject: Json, boundPod?: string) => {
    const extra = boundPod ? { 'authentication.kubernetes.io/pod-name': [boundPod] } : {};
    const request = { userInfo: { username: 'x', extra } };
    const variables: Json = {};
    for (const v of spec.variables)
      variables[v.name] = env.evaluate(v.expression, { object, oldObject, request, variables });
    return spec.validations.every(
      (v) => env.evaluate(v.expression, { object, oldObject, request, variables }) === true,
    );
  };
  const ann = (extra: Json) => ({ 'berth.dev/config-hash': 'h', ...extra });
  const cases: [string, Json, Json, string | undefined, boolean][] = [
    [
      'busy on its own pod',
      pod({ annotations: ann({ 'berth.dev/busy': 'true' }) }),
      before,
      OWN,
      true,
    ],
    [
      'idle again',
      pod({ annotations: ann({ 'berth.dev/busy': 'false' }) }),
      pod({ annotations: ann({ 'berth.dev/busy': 'true' }) }),
      OWN,
      true,
    ],
    [
      'the annotation removed',
      before,
      pod({ annotations: ann({ 'berth.dev/busy': 'true' }) }),
      OWN,
      true,
    ],
    [
      'a pod without annotations',
      pod({ annotations: { 'berth.dev/busy': 'true' } }),
      pod(),
      OWN,
      true,
    ],
    [
      'another pod',
      pod({ annotations: ann({ 'berth.dev/busy': 'true' }) }),
      before,
      'developer-xyz',
      false,
    ],
    [
      'a token bound to no pod',
      pod({ annotations: ann({ 'berth.dev/busy': 'true' }) }),
      before,
      undefined,
      false,
    ],
    [
      'another annotation changed',
      pod({ annotations: { 'berth.dev/config-hash': 'x' } }),
      before,
      OWN,
      false,
    ],
    ['another annotation removed', pod(), before, OWN, false],
    [
      'the deletion cost',
      pod({ annotations: ann({ 'controller.kubernetes.io/pod-deletion-cost': '9' }) }),
      before,
      OWN,
      false,
    ],
    ['a bad value', pod({ annotations: ann({ 'berth.dev/busy': 'yes' }) }), before, OWN, false],
    [
      'a label',
      pod({ annotations: ann({}), labels: { 'app.kubernetes.io/name': 'x' } }),
      before,
      OWN,
      false,
    ],
    [
      'the spec',
      pod({ annotations: ann({}), spec: { containers: [], activeDeadlineSeconds: 1 } }),
      before,
      OWN,
      false,
    ],
    ['a finalizer', pod({ annotations: ann({}), finalizers: ['x/y'] }), before, OWN, false],
  ];
  for (const [what, object, oldObject, bound, expected] of cases)
    assert.equal(admitted(object, oldObject, bound), expected, what);
});
