/**
 * Params checked again when a step starts, after `${...}` interpolation: the same schema as at
 * validation time, now over the computed values, with the task's defaults applied. Pure.
 */
import { Reporter, validateField } from '../spec/validate/structural.ts';
import { parseYamlStream } from '../yaml/stream.ts';
import { TaskFailedError, type TaskDefinition } from './tasks/types.ts';

export function checkRuntimeParams(task: TaskDefinition, raw: unknown): Record<string, unknown> {
  const value = raw ?? {};
  const doc = parseYamlStream(JSON.stringify(value), 'params').documents[0];
  if (!doc) throw new TaskFailedError(`${task.id}: params are not a map`);
  const r = new Reporter(doc);
  const out = validateField(task.params, value, [], r);
  if (r.diagnostics.length > 0 || typeof out !== 'object' || out === null)
    throw new TaskFailedError(
      `${task.id}: invalid params after interpolation: ${r.diagnostics
        .map((d) => `${d.path ?? ''}: ${d.message}`)
        .join('; ')}`,
    );
  return out as Record<string, unknown>;
}
