/**
 * The audit benchmark's corpus: `namespaces` namespaces, each with its Namespace, two
 * NetworkPolicies and `apps` apps of five objects (Deployment, Service, PDB, HPA, ConfigMap) in a
 * file of their own — 53 objects per namespace at the default 10 apps. Every fifth app has
 * typical defects (floating tag, no seccomp, no probes) so every tool has findings to report.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function writeAuditCorpus(
  dir: string,
  namespaces: number,
  apps = 10,
): { files: string[]; objects: number } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let objects = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    const nsFile = join(dir, `${ns}-namespace.yaml`);
    const base = [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns', namespace: ns },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      },
    ];
    writeFileSync(nsFile, base.map((o) => stringify(o)).join('---\n'));
    files.push(nsFile);
    objects += base.length;
    for (let a = 0; a < apps; a++) {
      const name = `app-${a}`;
      const bad = a % 5 === 0;
      const labels = { app: name };
      const container: Record<string, unknown> = {
        name,
        image: bad
          ? `registry.example.com/${ns}/${name}:latest`
          : `registry.example.com/${ns}/${name}:1.${a}.0`,
        ports: [{ name: 'http', containerPort: 8080 }],
        envFrom: [{ configMapRef: { name } }],
        resources: {
          requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
          limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      };
      if (!bad) {
        container.livenessProbe = {
          httpGet: { path: '/healthz', port: 'http' },
          periodSeconds: 10,
          timeoutSeconds: 5,
          failureThreshold: 6,
        };
        container.readinessProbe = {
          httpGet: { path: '/ready', port: 'http' },
          periodSeconds: 5,
          timeoutSeconds: 3,
        };
      }
      const pod: Record<string, unknown> = {
        automountServiceAccountToken: false,
        serviceAccountName: name,
        terminationGracePeriodSeconds: 30,
        securityContext: bad
          ? { runAsNonRoot: true }
          : {
              runAsNonRoot: true,
              runAsUser: 1001,
              runAsGroup: 1001,
              seccompProfile: { type: 'RuntimeDefault' },
            },
        containers: [container],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
      };
      const app = [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: ns, labels },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: pod },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: ns },
          spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
        },
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name, namespace: ns },
          spec: {
            minAvailable: 1,
            selector: { matchLabels: labels },
            unhealthyPodEvictionPolicy: 'AlwaysAllow',
          },
        },
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name, namespace: ns },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
            minReplicas: 2,
            maxReplicas: 6,
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
              },
            ],
          },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: ns },
          data: { LOG_LEVEL: 'info', PORT: '8080' },
        },
      ];
      const file = join(dir, `${ns}-${name}.yaml`);
      writeFileSync(file, `# ${ns}/${name}\n${app.map((o) => stringify(o)).join('---\n')}`);
      files.push(file);
      objects += app.length;
    }
  }
  return { files, objects };
}
