/** The generated workspace of the render benchmark: one Platform and N agents (text, as a user would write it). */
export function generatedWorkspace(agents: number): string {
  const docs = [
    `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata:
  name: fleet
spec:
  namespace: bots
  registry: registry.example.com/fleet
  agents:
    image: agent:1.4.2
    nodePool: bots
  nodePools:
    - name: bots
      nodeSelector: { berth.dev/pool: bots }
      tolerations: [{ key: berth.dev/pool, value: bots }]
  defaults:
    storageClass: standard
  secrets:
    perComponent: true
    pathTemplate: kv/agents/{component}
  ingress:
    clusterIssuer: letsencrypt`,
  ];
  for (let i = 0; i < agents; i++) {
    const name = `agent-${String(i).padStart(4, '0')}`;
    docs.push(`apiVersion: berth.dev/v1alpha1
kind: Agent
metadata:
  name: ${name}
spec:
  env: { AGENT_NAME: ${name}, LOG_LEVEL: info }
  config: { MODEL: qwen-3.6, TEMPERATURE: '0.2' }
  files:
    /etc/agent/SOUL.md: |
      You are ${name}.
  ports:
    - { name: gateway, port: 18789 }
    - { name: metrics, port: 9090, metrics: true }
  probes: { path: /healthz, port: gateway }
  storage: { size: 10Gi }
  resources:
    requests: { cpu: 250m, memory: 512Mi }
    limits: { cpu: '2', memory: 2Gi }
  ingress: { host: ${name}.agents.example.com, port: gateway }
  egress:
    - { name: github, hosts: [api.github.com], ports: [443] }`);
  }
  return docs.join('\n---\n') + '\n';
}
