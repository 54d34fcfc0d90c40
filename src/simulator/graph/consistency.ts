import type { GraphCall } from './call.js';
import { GraphHttpError, unsupportedQuery } from './errors.js';

/**
 * Directory "advanced queries" (`$count`, OData casts) need `ConsistencyLevel: eventual`
 * (https://learn.microsoft.com/graph/aad-advanced-queries). [INF] the exact error texts.
 */
export const isEventual = (call: GraphCall): boolean => (call.headers.consistencylevel ?? '').toLowerCase() === 'eventual';

/** `$count=true` without the header is refused, as Graph does for directory objects. */
export function requireEventualForCount(call: GraphCall): true {
  if (!isEventual(call)) throw new GraphHttpError(400, 'Request_BadRequest', '$count is not currently supported.');
  return true;
}

/** A cast such as `/transitiveMembers/microsoft.graph.user` needs the header and `$count=true` (group-list-transitivemembers.md). */
export function requireAdvancedQueryForCast(call: GraphCall): void {
  const count = (call.query.get('$count') ?? '').toLowerCase() === 'true';
  if (!isEventual(call) || !count) {
    throw unsupportedQuery("The specified type cast is only supported with the 'ConsistencyLevel: eventual' header and '$count=true'.");
  }
}
