// Wait cost on a real API server (issue 7 §6b): 300 agents applied to the sandbox through the
// CLI, `berth apply --wait` against `berth apply` without the wait, each into fresh namespaces,
// whole processes under GNU time. The wait's CPU is the difference of the two (the apply is the
// same work); peak RSS is the whole `apply --wait` process. Agents are rendered from a berth
// spec (Deployment, PVC, Service, NetworkPolicy, ServiceAccount, ConfigMap, ExternalSecret per
// agent) with small requests so 300 fit the sandbox's nodes besides other tests' pods.
// BERTH_BENCH_KUBECONFIG runs against an existing cluster; BERTH_BENCH_AGENTS changes the count.
// When the cluster's nodes lack free pod slots for the agents (other tests' pods use them too),
// the bench adds kwok nodes of the sandbox's kind (kwok.x-k8s.io/node: fake, 110 pods each) for
// its run and deletes them after; BERTH_BENCH_NODES forces how many.
// Target: wait CPU under 3 s and RSS under 120 MB for 300 agents.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderWorkspace, toYamlStream } from '../src/render/index.ts';
import { loadWorkspace } from '../src/spec/adapters/files.ts';
import { relocate } from '../test/deploy/relocate.ts';
import { measureTool, median, report, type Sample } from './measure.ts';

const agents = Number(process.env.BERTH_BENCH_AGENTS ?? 300);
const rounds = Number(process.env.BERTH_BENCH_ROUNDS ?? 1);
const root = join(import.meta.dirname, '..');
let kubeconfig = process.env.BERTH_BENCH_KUBECONFIG;
if (!kubeconfig) {
  const { startSandbox } = await import('../src/sandbox/index.ts');
  kubeconfig = (await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) })).kubeconfig;
}
const berthEntry = process.env.BERTH_BENCH_CLI ?? join(root, 'dist', 'cli', 'main.js');
if (!existsSync(berthEntry)) throw new Error('dist/cli/main.js is missing: npm run build');

function workspaceText(n: number): string {
  const docs = [
    `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata:
  name: waitbench
spec:
  namespace: waitbench
  agents:
    image: registry.example/agent:1.4.2
    nodePool: any
  # Any node: the general nodes and the tainted bots pool (110 pods each on the sandbox).
  nodePools:
    - name: any
      tolerations: [{ key: berth.dev/pool, value: bots }]
  defaults:
    storageClass: standard`,
  ];
  for (let i = 0; i < n; i++)
    docs.push(`apiVersion: berth.dev/v1alpha1
kind: Agent
metadata:
  name: agent-${String(i).padStart(4, '0')}
spec:
  env: { AGENT_NAME: agent-${i} }
  ports:
    - { name: gateway, port: 18789 }
  probes: { path: /healthz, port: gateway }
  storage: { size: 1Gi }
  resources:
    requests: { cpu: 5m, memory: 16Mi }
    limits: { cpu: 100m, memory: 64Mi }`);
  return `${docs.join('\n---\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-wait-'));
mkdirSync(join(dir, 'spec'));
writeFileSync(join(dir, 'spec', 'platform.yaml'), workspaceText(agents));
const rendered = renderWorkspace(await loadWorkspace(join(dir, 'spec')));
const namespaces = rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
console.log(`${agents} agents: ${rendered.length} objects`);

const stamp = Date.now().toString(36);

function kubectl(args: string[], input?: string): string {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig as string, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    ...(input !== undefined ? { input } : {}),
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Free pod slots on Ready nodes (allocatable pods minus pods not finished). */
function freePodSlots(): number {
  const nodes = JSON.parse(kubectl(['get', 'nodes', '-o', 'json'])) as {
    items: {
      status: { allocatable?: { pods?: string }; conditions?: { type: string; status: string }[] };
    }[];
  };
  const slots = nodes.items
    .filter((n) => n.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .reduce((sum, n) => sum + Number(n.status.allocatable?.pods ?? 0), 0);
  const running = kubectl([
    'get',
    'pods',
    '-A',
    '--no-headers',
    '--field-selector=status.phase!=Succeeded,status.phase!=Failed',
  ])
    .split('\n')
    .filter(Boolean).length;
  return slots - running;
}

/** Adds kwok nodes (110 pods each) until the agents fit with a 10% margin; their names. */
function addCapacity(): string[] {
  const wanted = process.env.BERTH_BENCH_NODES;
  const free = freePodSlots();
  const count =
    wanted !== undefined ? Number(wanted) : Math.max(0, Math.ceil((agents * 1.1 - free) / 110));
  const names = Array.from({ length: count }, (_, i) => `waitbench-${stamp}-${i}`);
  for (const name of names)
    kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'berth.dev/pool': 'general',
            type: 'kwok',
          },
          annotations: {
            'kwok.x-k8s.io/node': 'fake',
            'node.alpha.kubernetes.io/ttl': '0',
            'sandbox.berth.dev/cpu': '8',
            'sandbox.berth.dev/memory': '32Gi',
            'sandbox.berth.dev/pods': '110',
          },
        },
      }),
    );
  if (names.length) {
    kubectl(['wait', '--for=condition=Ready', '--timeout=120s', ...names.map((n) => `node/${n}`)]);
  }
  console.log(`free pod slots ${free}; added ${names.length} kwok node(s) for ${agents} agents`);
  return names;
}
const addedNodes = addCapacity();
process.on('exit', () => {
  if (addedNodes.length) kubectl(['delete', 'node', '--wait=false', ...addedNodes]);
});

function cleanUp(suffix: string): void {
  const del = measureTool(
    {
      name: 'kubectl',
      command: 'kubectl',
      args: [
        '--kubeconfig',
        kubeconfig as string,
        'delete',
        'namespace',
        '--ignore-not-found',
        '--timeout=300s',
        ...namespaces.map((ns) => `${ns}-${suffix}`),
      ],
    },
    root,
  );
  if (del.status !== 0) console.log(`note: cleanup of ${suffix} failed`);
}

function berth(suffix: string, wait: boolean): Sample {
  const file = join(dir, `${suffix}.yaml`);
  writeFileSync(file, toYamlStream(relocate(rendered, suffix)));
  const args = [berthEntry, 'apply', file, '--kubeconfig', kubeconfig as string, '--timeout', '8m'];
  if (wait) args.push('--wait');
  const sample = measureTool({ name: 'berth', command: process.execPath, args }, root);
  if (sample.status !== 0)
    throw new Error(`berth ${args.slice(1).join(' ')} exited ${sample.status}`);
  return sample;
}

const waits: Sample[] = [];
const plain: Sample[] = [];
for (let i = 0; i < rounds; i++) {
  const order = i % 2 === 0 ? [false, true] : [true, false];
  for (const wait of order) {
    const suffix = `w${stamp}${i}${wait ? 'w' : 'a'}`;
    try {
      (wait ? waits : plain).push(berth(suffix, wait));
    } finally {
      cleanUp(suffix);
    }
  }
  const w = waits.at(-1);
  const a = plain.at(-1);
  console.log(
    `round ${i + 1}: apply --wait ${Math.round(w?.ms ?? 0)} ms wall, ${Math.round(w?.cpuMs ?? 0)} ms CPU, ${Math.round(w?.peakMB ?? 0)} MB; apply ${Math.round(a?.ms ?? 0)} ms wall, ${Math.round(a?.cpuMs ?? 0)} ms CPU, ${Math.round(a?.peakMB ?? 0)} MB`,
  );
}
const waitCpu = median(waits.map((s) => s.cpuMs)) - median(plain.map((s) => s.cpuMs));
report({
  suite: 'wait',
  metric: `wait CPU on the sandbox via the CLI, ${agents} agents (apply --wait minus apply), median of ${rounds}`,
  unit: 'ms',
  berth: Math.round(waitCpu),
  target: '< 3000 ms',
});
report({
  suite: 'wait',
  metric: `peak RSS of berth apply --wait on the sandbox, ${agents} agents`,
  unit: 'MB',
  berth: Math.round(median(waits.map((s) => s.peakMB))),
  target: '< 120 MB',
});
