// Every built-in task, one line each. Adding a task: a file in this folder and a line here
// (docs/workflows.md's task table is generated from this list and checked by a test).
import { applyTask } from './apply.ts';
import { approveTask } from './approve.ts';
import { clusterTask } from './cluster.ts';
import { evaluateTask } from './evaluate.ts';
import { healthCheckTask } from './health-check.ts';
import { notifyTask } from './notify.ts';
import { queryTask } from './query.ts';
import { restartTask } from './restart.ts';
import { rollbackTask } from './rollback.ts';
import { runJobTask } from './run-job.ts';
import { scaleTask } from './scale.ts';
import { sleepTask } from './sleep.ts';
import type { TaskDefinition } from './types.ts';
import { upgradeTask } from './upgrade.ts';
import { waitTask } from './wait.ts';

export const builtinTasks: readonly TaskDefinition[] = [
  clusterTask,
  applyTask,
  waitTask,
  healthCheckTask,
  runJobTask,
  scaleTask,
  upgradeTask,
  restartTask,
  rollbackTask,
  queryTask,
  evaluateTask,
  notifyTask,
  sleepTask,
  approveTask,
];

export function taskMap(
  tasks: readonly TaskDefinition[] = builtinTasks,
): Map<string, TaskDefinition> {
  return new Map(tasks.map((t) => [t.id, t]));
}
