import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity } from 'botframework-connector';
import type { Activity } from 'botframework-schema';

const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * A token the jsonwebtoken library refuses (bad signature, malformed, not yet valid) must be a 401
 * like every other refusal. botbuilder 4.23.3 rethrows those errors as they are
 * (botframework-connector jwtTokenExtractor.ts `validateToken`: only TokenExpiredError becomes an
 * AuthenticationError), and CloudAdapter.process answers 401 only for an AuthenticationError, 500 for
 * anything else (cloudAdapter.ts). PRODUCT.md §6: anything but a valid Bot Framework JWT gets 401.
 */
export function asAuthenticationError(e: unknown): unknown {
  if (e instanceof AuthenticationError) return e;
  if (e instanceof Error && JWT_ERRORS.has(e.name)) return new AuthenticationError(`Unauthorized. ${e.message}`, 401);
  return e;
}

/** ConfigurationBotFrameworkAuthentication whose refusals are all AuthenticationErrors (so, 401s). */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      throw asAuthenticationError(e);
    }
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (e) {
      throw asAuthenticationError(e);
    }
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await super.authenticateChannelRequest(authHeader);
    } catch (e) {
      throw asAuthenticationError(e);
    }
  }
}
