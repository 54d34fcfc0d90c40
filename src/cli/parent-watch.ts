/**
 * Resolves when the process that started us has gone (we were re-parented). `demo` asks its `serve`
 * and `install` children to stop then (TEAMS_ROLLOUT_EXIT_WITH_PARENT=1), so a demo killed with
 * SIGKILL leaves no orphans holding ports; `simulate` does the same for whoever read its ready line.
 */
export const EXIT_WITH_PARENT = 'TEAMS_ROLLOUT_EXIT_WITH_PARENT';

export function parentGone(everyMs = 1000): Promise<void> {
  const parent = process.ppid;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(timer);
      resolve();
    }, everyMs);
    timer.unref();
  });
}
