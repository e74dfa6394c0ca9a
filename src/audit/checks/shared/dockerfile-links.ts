/** Which workload containers run an image built by which Dockerfile. */
import { imageRepository, type DockerfileModel } from '../../engine/dockerfile-model.ts';
import type { ContainerRef, Workload } from '../../engine/pods.ts';
import type { AuditIndex } from '../../engine/index-objects.ts';

export interface Link {
  workload: Workload;
  container: ContainerRef;
  dockerfile: DockerfileModel;
}

export function linkedContainers(index: AuditIndex): Link[] {
  const out: Link[] = [];
  if (index.dockerfilesByRepository.size === 0) return out;
  for (const workload of index.workloads) {
    for (const container of workload.containers) {
      const image = typeof container.container.image === 'string' ? container.container.image : '';
      for (const dockerfile of index.dockerfilesByRepository.get(imageRepository(image)) ?? [])
        out.push({ workload, container, dockerfile });
    }
  }
  return out;
}
