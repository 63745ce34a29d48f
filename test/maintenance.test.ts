// The maintenance scheduler (src/maintenance.ts): the first pass after start runs its tasks one at a time, and a
// task never overlaps itself (issue 21: fifteen sweeps at once against a large database held the search tail).
import type { AppContext } from '../src/context';
import { createLogger } from '../src/logger';
import { startMaintenance, type MaintenanceTask } from '../src/maintenance';

const ctx = { logger: createLogger('silent') } as unknown as AppContext;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingTasks(count: number, runMs: number, everyMs: number) {
  let now = 0;
  let most = 0;
  const started: string[] = [];
  const tasks: MaintenanceTask[] = Array.from({ length: count }, (_, i) => ({
    name: `task-${i}`,
    everyMs,
    run: async () => {
      started.push(`task-${i}`);
      most = Math.max(most, ++now);
      await sleep(runMs);
      now--;
    },
  }));
  return { tasks, started, mostAtOnce: () => most };
}

test('the first pass runs the tasks one after another, in order', async () => {
  const { tasks, started, mostAtOnce } = recordingTasks(5, 20, 60_000);
  const stop = startMaintenance(ctx, tasks, 10);
  await sleep(10 + 5 * 20 + 100);
  stop();
  expect(started).toEqual(['task-0', 'task-1', 'task-2', 'task-3', 'task-4']);
  expect(mostAtOnce()).toBe(1);
});

test('a tick that comes while the task still runs is skipped, and none comes after stop', async () => {
  let runs = 0;
  let atOnce = 0;
  let most = 0;
  const slow: MaintenanceTask = {
    name: 'slow',
    everyMs: 20,
    run: async () => {
      runs++;
      most = Math.max(most, ++atOnce);
      await sleep(150);
      atOnce--;
    },
  };
  const stop = startMaintenance(ctx, [slow], 60_000);
  await sleep(400);
  expect(most).toBe(1);
  // Ticks every 20 ms over 400 ms, each run 150 ms: at most three runs, never two at once.
  expect(runs).toBeGreaterThanOrEqual(2);
  expect(runs).toBeLessThanOrEqual(3);
  stop();
  const stoppedAt = runs;
  await sleep(100);
  expect(runs).toBe(stoppedAt);
});

test('a failing task in the first pass does not stop the ones after it', async () => {
  const failing: MaintenanceTask = { name: 'failing', everyMs: 60_000, run: () => Promise.reject(new Error('disk full')) };
  const after = recordingTasks(2, 1, 60_000);
  const stop = startMaintenance(ctx, [failing, ...after.tasks], 10);
  await sleep(150);
  stop();
  expect(after.started).toEqual(['task-0', 'task-1']);
});
