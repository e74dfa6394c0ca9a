/**
 * Log tails go through the port (`KubeApi.podLogs`): the previous run, 40 lines, 8 KiB, with a
 * deadline; a crash-looping container's tail reaches LogTails; a gone pod is no tail.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogOptions } from '../../src/kube/api.ts';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import type { KubeObject, ObjectRef } from '../../src/model/object.ts';
import { LogTails } from '../../src/watchdog/adapters/logs.ts';
import { portLogReader } from '../../src/watchdog/adapters/pod-logs.ts';

/** MemoryKube keeps no previous run; this one serves the crashed run's log like a kubelet. */
class PreviousLogKube extends MemoryKube {
  calls: { ref: ObjectRef; options: LogOptions }[] = [];
  override async podLogs(ref: ObjectRef, options: LogOptions = {}): Promise<string> {
    this.calls.push({ ref, options });
    if (!options.previous) return super.podLogs(ref, options);
    await super.podLogs(ref, { ...options, previous: false }); // 404 for a missing pod
    return 'panic: connection refused\n'.repeat(1000);
  }
}

function crashLooping(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bots' },
    spec: { containers: [{ name: 'app', image: 'x' }] },
    status: {
      containerStatuses: [
        { name: 'app', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    },
  };
}

test('the tail of a crash-looping container is read through the port', async () => {
  const kube = new PreviousLogKube();
  await kube.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bots' } },
    { fieldManager: 'test' },
  );
  const pod = crashLooping('clovis');
  await kube.apply(pod, { fieldManager: 'test' });
  const tails = await new LogTails(portLogReader(kube)).tailsFor({
    Pod: [pod, crashLooping('gone')],
  });
  assert.deepEqual(Object.keys(tails), ['bots/clovis/app']);
  assert.ok(tails['bots/clovis/app']!.startsWith('panic: connection refused'));
  assert.ok(tails['bots/clovis/app']!.length <= 8192);
  const call = kube.calls.find((c) => c.ref.name === 'clovis');
  assert.equal(call?.options.container, 'app');
  assert.equal(call?.options.previous, true);
  assert.equal(call?.options.tailLines, 40);
  assert.equal(call?.options.limitBytes, 8192);
  assert.ok(call?.options.signal, 'bounded by a signal');
  assert.ok((call?.options.deadline ?? 0) > Date.now() - 1000, 'and a deadline');
});
