/** An AgentPool's queue: which store and which fields each kind of queue needs. */
import type { AgentPoolSpec, Component } from '../workspace.ts';
import type { Reporter } from './structural.ts';

export function checkQueue(
  q: NonNullable<AgentPoolSpec['queue']>,
  components: ReadonlyMap<string, Component>,
  r: Reporter,
): void {
  if (q.store === undefined) return; // prometheus or http: their fields are required by the schema
  const store = components.get(q.store);
  if (!store || store.kind !== 'Store' || store.spec.engine === 'surrealdb') {
    r.report(
      ['spec', 'queue', 'store'],
      `"${q.store}" is not a nats or redis Store`,
      'declare a Store with engine nats or redis',
    );
    return;
  }
  if (store.spec.engine === 'nats') {
    if (q.stream === undefined)
      r.report(
        ['spec', 'queue'],
        'a nats queue needs stream',
        'set queue.stream (the JetStream stream)',
      );
    if (q.consumer === undefined)
      r.report(
        ['spec', 'queue'],
        'a nats queue needs consumer',
        'set queue.consumer (the durable consumer the pool reads)',
      );
    return;
  }
  const stream = q.stream !== undefined || q.group !== undefined;
  if (q.listName !== undefined && stream)
    r.report(
      ['spec', 'queue'],
      'a redis queue is a list or a stream group, not both',
      'keep listName, or stream and group',
    );
  else if (q.listName === undefined && (q.stream === undefined || q.group === undefined))
    r.report(
      ['spec', 'queue'],
      'a redis queue needs listName, or stream and group',
      'set queue.listName (the list the pool pops), or queue.stream and queue.group (a stream consumer group)',
    );
}
