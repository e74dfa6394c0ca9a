import type { Diagnostic } from '../errors.ts';
import type { YamlStream } from '../yaml/stream.ts';

/** A validated workspace, every default applied. (Interface stub: filled in by the spec work.) */
export interface Workspace {
  platform: { name: string };
}

/** Validates parsed YAML streams into a workspace; never throws. */
export function validateWorkspace(streams: YamlStream[]): {
  workspace?: Workspace;
  diagnostics: Diagnostic[];
} {
  const diagnostics = streams.flatMap((s) => s.diagnostics);
  return { diagnostics };
}
