// One side of the render benchmark, run in its own process so its peak memory is its own.
// `berth`: parse + validate, then render + serialize the generated workspace (timed apart).
// `cdk8s`: synthesize the equivalent Deployments, PVCs and Services with cdk8s-plus-33;
// `cdk8s-full`: also the other objects berth renders per agent (same object count).
// Prints one JSON line: {ms, cpuMs, pipelineMs, pipelineCpuMs, peakMB, objects, bytes}.
import { generatedWorkspace } from './render-workspace.ts';

const side = process.argv[2];
const agents = Number(process.argv[3] ?? 1000);
const text = generatedWorkspace(agents);

async function runBerth(): Promise<{ objects: number; bytes: number }> {
  const { parseYamlStream } = await import('../src/yaml/stream.ts');
  const { validateWorkspace } = await import('../src/spec/index.ts');
  const { renderWorkspace, toYamlStream } = await import('../src/render/index.ts');
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const { workspace, diagnostics } = validateWorkspace([parseYamlStream(text, 'generated.yaml')]);
  if (!workspace) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const parsed = performance.now();
  const parsedCpu = process.cpuUsage(startCpu);
  // Collect the parser's garbage first, so the render figure measures rendering only (the
  // forced collection is left out of the pipeline figures too: it is the benchmark's own).
  (globalThis as { gc?: () => void }).gc?.();
  const rendering = performance.now();
  const cpu = process.cpuUsage();
  const objects = renderWorkspace(workspace);
  const yaml = toYamlStream(objects);
  const end = performance.now();
  const used = process.cpuUsage(cpu);
  cpuMs = (used.user + used.system) / 1000;
  // The render figure (validated workspace -> YAML stream) is what cdk8s-plus does (constructs ->
  // YAML); the pipeline figure adds parsing and validating the spec text.
  elapsed = end - rendering;
  pipeline = parsed - start + elapsed;
  pipelineCpu = (parsedCpu.user + parsedCpu.system) / 1000 + cpuMs;
  return { objects: objects.length, bytes: yaml.length };
}

async function runCdk8s(full: boolean): Promise<{ objects: number; bytes: number }> {
  const { ApiObject, App, Chart, Size } = await import('cdk8s');
  const kplus = await import('cdk8s-plus-33');
  const start = performance.now();
  const cpu = process.cpuUsage();
  const app = new App();
  const chart = new Chart(app, 'fleet', { namespace: 'bots' });
  for (let i = 0; i < agents; i++) {
    const name = `agent-${String(i).padStart(4, '0')}`;
    const pvc = new kplus.PersistentVolumeClaim(chart, `${name}-data`, {
      storage: Size.gibibytes(10),
      storageClassName: 'standard',
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
    });
    const deployment = new kplus.Deployment(chart, name, {
      replicas: 1,
      strategy: kplus.DeploymentStrategy.recreate(),
      securityContext: { user: 1001, group: 1001, fsGroup: 1001, ensureNonRoot: true },
    });
    const container = deployment.addContainer({
      name,
      image: `registry.example.com/fleet/agent:1.4.2`,
      ports: [
        { name: 'gateway', number: 18789 },
        { name: 'metrics', number: 9090 },
      ],
      envVariables: {
        AGENT_NAME: kplus.EnvValue.fromValue(name),
        LOG_LEVEL: kplus.EnvValue.fromValue('info'),
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(2) },
        memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
      },
      securityContext: {
        user: 1001,
        group: 1001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      },
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: 18789 }),
      liveness: kplus.Probe.fromTcpSocket({ port: 18789 }),
    });
    container.mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, `${name}-vol`, pvc));
    const service = deployment.exposeViaService({
      ports: [{ port: 18789, targetPort: 18789, name: 'gateway' }],
    });
    if (full) {
      // The rest of what berth renders per agent: ServiceAccount, two ConfigMaps, an
      // ExternalSecret, a NetworkPolicy and an Ingress.
      new kplus.ServiceAccount(chart, `${name}-sa`, { automountToken: false });
      new kplus.ConfigMap(chart, `${name}-config`, {
        data: { MODEL: 'qwen-3.6', TEMPERATURE: '0.2' },
      });
      new kplus.ConfigMap(chart, `${name}-files`, {
        data: { 'etc_agent_SOUL.md': `You are ${name}.\n` },
      });
      new ApiObject(chart, `${name}-env`, {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
          target: { name: `${name}-env` },
          dataFrom: [{ extract: { key: `kv/agents/${name}` } }],
        },
      });
      const policy = new kplus.NetworkPolicy(chart, `${name}-netpol`, { selector: deployment });
      policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(chart, `${name}-any`, '0.0.0.0/0'), [
        kplus.NetworkPolicyPort.tcp(443),
      ]);
      new kplus.Ingress(chart, `${name}-ingress`, {
        rules: [
          {
            host: `${name}.agents.example.com`,
            backend: kplus.IngressBackend.fromService(service),
          },
        ],
        tls: [
          {
            hosts: [`${name}.agents.example.com`],
            secret: kplus.Secret.fromSecretName(chart, `${name}-tls`, `${name}-tls`),
          },
        ],
      });
    }
  }
  const yaml = app.synthYaml();
  elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  cpuMs = (used.user + used.system) / 1000;
  return { objects: (yaml.match(/^kind: /gm) ?? []).length, bytes: yaml.length };
}

let elapsed = 0;
let pipeline = 0;
let pipelineCpu = 0;
let cpuMs = 0;
const result = side === 'berth' ? await runBerth() : await runCdk8s(side === 'cdk8s-full');
const peakMB = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    ms: elapsed,
    cpuMs,
    pipelineMs: pipeline || elapsed,
    pipelineCpuMs: pipelineCpu || cpuMs,
    peakMB,
    ...result,
  }),
);
