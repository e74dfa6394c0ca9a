// Validation errors, table-driven: each fixture under fixtures/ and the exact diagnostics it gives
// (file:line:column: field path: message (hint)), all at once, in reading order.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../../src/errors.ts';
import { validateWorkspace } from '../../src/spec/index.ts';
import { parseYamlStream } from '../../src/yaml/stream.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

async function diagnosticsOf(name: string): Promise<string[]> {
  const path = join(fixtures, name);
  const files = (await stat(path)).isDirectory()
    ? (await readdir(path)).sort().map((f) => join(path, f))
    : [path];
  const streams = await Promise.all(
    files.map(async (f) => parseYamlStream(await readFile(f, 'utf8'), relative(fixtures, f))),
  );
  return validateWorkspace(streams).diagnostics.map(formatDiagnostic);
}

const CRON_HINT =
  '(hint: use 5-field cron ("0 8 * * *", "*/15 * * * *") or "every 15m", "every 1h", "every 1d at 09:00")';
const PIN_HINT =
  '(hint: pin a version tag (agent:1.4.2) or a digest; set allowMutableTag: true only if you accept unreproducible rollouts)';

const cases: { fixture: string; expected: string[] }[] = [
  {
    fixture: 'unknown-field.yaml',
    expected: [
      'unknown-field.yaml:15:3: spec.imagee: unknown field "imagee" (hint: did you mean "image"?)',
      'unknown-field.yaml:17:5: spec.storage.sise: unknown field "sise" (hint: did you mean "size"?)',
    ],
  },
  {
    fixture: 'wrong-types.yaml',
    expected: [
      'wrong-types.yaml:16:13: spec.replicas: expected an integer, got the string "two"',
      'wrong-types.yaml:17:8: spec.tmp: expected true or false, got the string "yes"',
      'wrong-types.yaml:20:13: spec.ports[0].port: expected an integer, got the string "8080"',
      'wrong-types.yaml:21:8: spec.env: expected a map, got a list',
    ],
  },
  {
    fixture: 'dangling.yaml',
    expected: [
      'dangling.yaml:16:13: spec.nodePool: unknown node pool "gpu" (hint: declared node pools: bots)',
      'dangling.yaml:17:13: spec.envFrom[0]: unknown secret "api-secrets" (hint: declare it with a kind: Secret document)',
      'dangling.yaml:22:11: spec.connections[0].to: unknown component "billing" (hint: declared components: api, worker)',
      'dangling.yaml:24:13: spec.connections[1].port: AgentPool "worker" exposes no port "grpc" (hint: its ports: http (8089))',
      'dangling.yaml:34:12: spec.queue.store: "nats" is not a nats or redis Store (hint: declare a Store with engine nats or redis)',
    ],
  },
  {
    fixture: 'quantities.yaml',
    expected: [
      'quantities.yaml:18:22: spec.resources.requests.cpu: invalid CPU quantity "2 cores" (hint: use cores (0.5, 2) or millicores (500m))',
      'quantities.yaml:18:39: spec.resources.requests.memory: invalid quantity "1GB" (hint: use a number with a binary suffix such as 512Mi, 2Gi or 10Gi)',
      'quantities.yaml:21:11: spec.storage.size: invalid quantity "ten" (hint: use a number with a binary suffix such as 512Mi, 2Gi or 10Gi)',
      'quantities.yaml:23:13: spec.writablePaths[0].path: invalid path "var/cache" (hint: use an absolute path without "..", such as /var/cache/nginx)',
    ],
  },
  {
    fixture: 'images.yaml',
    expected: [
      `images.yaml:15:10: spec.image: image "ghcr.io/acme/api:latest" is not pinned (no tag, or :latest) ${PIN_HINT}`,
      `images.yaml:23:10: spec.image: image "ghcr.io/acme/api" is not pinned (no tag, or :latest) ${PIN_HINT}`,
      'images.yaml:40:10: spec.image: invalid image reference "ghcr.io/Acme/api:1.0" (hint: use registry/repository:tag, such as ghcr.io/acme/agent:1.4.2)',
    ],
  },
  {
    fixture: 'cron.yaml',
    expected: [
      `cron.yaml:21:35: spec.schedules[3].schedule: invalid schedule "every 15x" ${CRON_HINT}`,
      `cron.yaml:22:35: spec.schedules[4].schedule: invalid schedule "0 25 * * *": hour "25" is not within 0-23 ${CRON_HINT}`,
      `cron.yaml:23:37: spec.schedules[5].schedule: invalid schedule "* * *": cron needs 5 fields, got 3 ${CRON_HINT}`,
      `cron.yaml:24:33: spec.schedules[6].schedule: invalid schedule "every 2h at 09:00": "at HH:MM" only goes with days ${CRON_HINT}`,
    ],
  },
  {
    fixture: 'api-access.yaml',
    expected: [
      'api-access.yaml:22:20: spec.apiAccess.rules[0].resources: create on cluster-scoped "namespaces" is not allowed (hint: berth never grants cluster-scoped writes; keep read verbs only)',
      'api-access.yaml:25:20: spec.apiAccess.rules[1].resources: patch on "rolebindings" would allow privilege escalation (hint: grant RBAC changes to humans, not to components)',
      'api-access.yaml:27:20: spec.apiAccess.rules[2].apiGroups: wildcards are not allowed (hint: name each API group and resource the component needs)',
    ],
  },
  {
    fixture: 'semantics.yaml',
    expected: [
      'semantics.yaml:12:31: spec.ports[0].port: port 80 is below 1024 and the container runs as non-root (hint: listen on a port above 1023, or set security.addNetBindService: true)',
      'semantics.yaml:14:19: spec.env.GITHUB_TOKEN: "GITHUB_TOKEN" looks like a secret and would be rendered in plain text (hint: move it to Vault and use secretEnv: {GITHUB_TOKEN: {secret: <name>, key: <key>}} or envFrom)',
      'semantics.yaml:18:18: spec.config.DB_PASSWORD: "DB_PASSWORD" looks like a secret and would be rendered in plain text (hint: move it to Vault and use secretEnv: {DB_PASSWORD: {secret: <name>, key: <key>}} or envFrom)',
      'semantics.yaml:19:5: spec.config.LOG_LEVEL: variable "LOG_LEVEL" is set twice (env and config) (hint: keep one of them)',
      'semantics.yaml:21:22: spec.resources.requests.cpu: the cpu request (2) is above the limit (1) (hint: raise the limit or lower the request)',
      'semantics.yaml:24:5: spec.writablePaths: emptyDir size limits (2.25Gi) exceed the ephemeral-storage limit (1Gi) (hint: lower writablePaths[].sizeLimit or raise resources.limits.ephemeralStorage)',
      'semantics.yaml:26:24: spec.preStopSleepSeconds: the preStop sleep (5s) must be shorter than terminationGracePeriodSeconds (5s) (hint: the process needs time after the sleep to shut down)',
    ],
  },
  {
    fixture: 'files.yaml',
    expected: [
      'files.yaml:13:5: spec.files./etc/a/b_c: files "/etc/a_b/c" and "/etc/a/b_c" would share the ConfigMap key "etc_a_b_c" (hint: rename one of them)',
      'files.yaml:14:5: spec.files./etc/my file: file path "/etc/my file" cannot be a ConfigMap key (hint: use letters, digits, "-", "_" and "." in file and folder names)',
    ],
  },
  {
    fixture: 'mounts.yaml',
    expected: [
      'mounts.yaml:13:15: spec.writablePaths[0].path: writablePaths[0] is mounted at /tmp, where the /tmp emptyDir already is (hint: use distinct paths)',
      'mounts.yaml:14:15: spec.writablePaths[1].path: writablePaths[1] is mounted at /data, where the agent volume already is (hint: use distinct paths)',
    ],
  },
  {
    fixture: 'duplicates',
    expected: [
      'duplicates/b.yaml:4:9: metadata.name: duplicate component name "clovis" (hint: already declared by the Agent in duplicates/a.yaml:4; names are unique across kinds)',
    ],
  },
  {
    fixture: 'no-platform.yaml',
    expected: [
      'no Platform document found (hint: add a document with apiVersion: berth.dev/v1alpha1, kind: Platform (its name is the platform name))',
    ],
  },
  {
    fixture: 'not-spec.yaml',
    expected: [
      'not-spec.yaml:1:13: apiVersion: apiVersion must be berth.dev/v1alpha1 (got "v1") (hint: every document of a berth workspace is a berth.dev/v1alpha1 document)',
      'not-spec.yaml:7:7: kind: unknown kind "Robot" (hint: use one of Platform, Agent, AgentPool, Service, Store, Secret, Workflow, Watchdog)',
      'not-spec.yaml:16:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  },
];

for (const { fixture, expected } of cases) {
  test(`validate ${fixture}: exact diagnostics, all at once`, async () => {
    assert.deepEqual(await diagnosticsOf(fixture), expected);
  });
}
