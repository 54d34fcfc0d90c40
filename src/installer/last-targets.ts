import type { RolloutRow } from '../store/types.js';
import type { TargetSpec } from './sources.js';

/** What a rollout records of its targets (in its options JSON), so `--retry-failed` alone can go over them again. */
export interface RecordedTargets {
  allUsers: boolean;
  groups: string[];
  usersFile?: string | undefined;
}

export function recordedTargets(spec: TargetSpec): RecordedTargets {
  return { allUsers: spec.allUsers, groups: [...spec.groups], ...(spec.usersFile && { usersFile: spec.usersFile }) };
}

/**
 * The targets of a recorded rollout, or why there are none. A --since-last run's targets are the
 * whole directory (its delta is spent), and rollouts recorded before targets were kept have none.
 */
export function targetsOf(rollout: Pick<RolloutRow, 'id' | 'options'> | undefined): { spec: TargetSpec } | { problem: string } {
  if (!rollout) return { problem: 'this ledger has no rollout yet' };
  let options: unknown;
  try {
    options = JSON.parse(rollout.options);
  } catch {
    return { problem: `rollout ${rollout.id} has unreadable options` };
  }
  const t = (options as { targets?: Partial<RecordedTargets> } | null)?.targets;
  const groups = Array.isArray(t?.groups) ? t.groups.filter((g): g is string => typeof g === 'string') : [];
  const usersFile = typeof t?.usersFile === 'string' && t.usersFile ? t.usersFile : undefined;
  if (!t || (t.allUsers !== true && groups.length === 0 && !usersFile)) return { problem: `rollout ${rollout.id} did not record its targets (it ran on an older teams-rollout)` };
  return { spec: { allUsers: t.allUsers === true, groups, usersFile } };
}
