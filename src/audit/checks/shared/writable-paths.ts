/** The paths an image writes to (known images, linked Dockerfiles) and the emptyDirs that make them writable. */
import {
  finalImageInstructions,
  imageRepository,
  type DockerfileModel,
} from '../../engine/dockerfile-model.ts';
import type { AuditIndex } from '../../engine/index-objects.ts';
import {
  isRecord,
  mountsOf,
  volumesOf,
  type Container,
  type ContainerRef,
  type Workload,
} from '../../engine/pods.ts';
import type { FixOp } from '../../engine/types.ts';

/** Known writable paths of well-known images; `/tmp` is added for every container by fixes. */
export function knownWritablePaths(image: string): string[] {
  const repo = imageRepository(image).toLowerCase();
  const last = repo.split('/').pop() ?? repo;
  if (last.includes('nginx') || repo.includes('/nginx')) {
    return ['/var/cache/nginx', '/var/run', '/var/log/nginx', '/tmp'];
  }
  if (last.includes('playwright')) return ['/tmp'];
  return [];
}

/** The base image the final stage of a Dockerfile starts from (following stage references). */
function baseImageOf(d: DockerfileModel): string | undefined {
  let stage = d.stages[d.stages.length - 1];
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    const from = stage.from.toLowerCase();
    const parent = d.stages.find((s) => s.name === from && s.index < (stage?.index ?? 0));
    if (!parent) return stage.from;
    stage = parent;
  }
  return undefined;
}

/** The paths a Dockerfile's final image declares with VOLUME (JSON or plain form). */
function volumePaths(d: DockerfileModel): string[] {
  const out: string[] = [];
  for (const i of finalImageInstructions(d)) {
    if (i.keyword !== 'VOLUME') continue;
    const text = i.text.trim();
    let parsed: unknown;
    if (text.startsWith('[')) {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        void error; // not JSON: Docker reads it as a plain list
      }
    }
    const list = Array.isArray(parsed) ? parsed.map(String) : text.split(/\s+/);
    out.push(...list.filter((p) => p.startsWith('/')));
  }
  return out;
}

/** Known writable paths of a container's image: by its name, or by the base image of its linked Dockerfile. */
export function writablePathsFor(index: AuditIndex, image: string): string[] {
  const paths = new Set(knownWritablePaths(image));
  for (const d of index.dockerfilesByRepository.get(imageRepository(image)) ?? []) {
    const base = baseImageOf(d);
    if (base !== undefined) for (const p of knownWritablePaths(base)) paths.add(p);
    for (const p of volumePaths(d)) paths.add(p);
  }
  return [...paths];
}

export function volumeNameFor(path: string): string {
  const name = path
    .replace(/^\/+/, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  return name === '' ? 'root' : name;
}

export function isMounted(container: Container, path: string): boolean {
  return mountsOf(container).some(
    (m) =>
      m.mountPath === path || (m.mountPath !== undefined && path.startsWith(`${m.mountPath}/`)),
  );
}

/** Ops that mount an emptyDir at each of `paths` not already mounted in the container. */
export function emptyDirOps(
  workload: Workload,
  ref: ContainerRef,
  paths: readonly string[],
): FixOp[] {
  const ops: FixOp[] = [];
  const existing = new Map(volumesOf(workload).map((v) => [v.name, v]));
  for (const path of paths) {
    if (isMounted(ref.container, path)) continue;
    const name = volumeNameFor(path);
    const volume = existing.get(name);
    if (volume && !isRecord(volume.emptyDir) && volume.emptyDir !== null) continue; // name taken by another type
    ops.push({
      op: 'append',
      path: [...workload.specPath, 'volumes'],
      value: { name, emptyDir: { sizeLimit: '64Mi' } },
      matchKey: 'name',
    });
    ops.push({
      op: 'append',
      path: [...ref.path, 'volumeMounts'],
      value: { name, mountPath: path },
      matchKey: 'mountPath',
    });
  }
  return ops;
}
