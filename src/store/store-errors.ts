import { RolloutError } from '../errors.js';

/** A rollout id that was never created: a bug in the caller's order of calls, named with the fix. */
export function unknownRollout(operation: string, id: string): RolloutError {
  return new RolloutError('STORE_UNKNOWN_ROLLOUT', `${operation}: there is no rollout "${id}"; call createRollout first.`);
}
