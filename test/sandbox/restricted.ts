// Pod specs that Pod Security `restricted` admits, for the sandbox tests.
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';

export function restrictedContainer(name = 'main', cpu = '100m'): V1Container {
  return {
    name,
    image: 'registry.example.com/berth/test:1.0.0',
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
    resources: {
      requests: { cpu, memory: '64Mi', 'ephemeral-storage': '100Mi' },
      limits: { cpu, memory: '64Mi', 'ephemeral-storage': '100Mi' },
    },
  };
}

export function restrictedPodSpec(overrides: Partial<V1PodSpec> = {}): V1PodSpec {
  return {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1001,
      runAsGroup: 1001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [restrictedContainer()],
    ...overrides,
  };
}
