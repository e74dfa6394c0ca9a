import { map, obj, str, type Infer } from '../../spec/schema/dsl.ts';
import { evaluateExpression } from '../expressions.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    expressions: map(str({ description: 'CEL expression.' }), {
      description: 'Output name → CEL expression over parameters and earlier outputs.',
    }),
  },
  { description: 'evaluate params.' },
);
type Params = Infer<typeof params>;

export const evaluateTask = defineTask<Params>({
  id: 'evaluate',
  summary: 'Computes outputs with CEL expressions over parameters and earlier outputs.',
  docs: 'Seed `evaluate` (the `decide-scaling` condition) maps here: each key of `expressions` is an output, each value a CEL expression (`queue_depth > 10 && current_replicas < max_replicas ? least(current_replicas + 2, max_replicas) : current_replicas`). berth adds `least(a, b)` and `greatest(a, b)` over ints. Outputs: the keys of `expressions`.',
  params,
  outputs: 'from-params',
  idempotent: true,
  defaultTimeout: '10s',
  run(p, ctx) {
    const outputs: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(p.expressions)) {
      try {
        outputs[name] = evaluateExpression(expression, ctx.scope);
      } catch (error) {
        throw new TaskFailedError(`${name}: ${(error as Error).message}`);
      }
    }
    return Promise.resolve({
      outputs,
      message: Object.entries(outputs)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' '),
    });
  },
});
