import express from 'express';
import type { SimContext } from './context.js';
import { publicJwk } from './jwt.js';
import { botFrameworkKeys, UNENDORSED_KEY_CHANNELS } from './bot-side/keys.js';

export { signChannelToken, BOT_FRAMEWORK_ISSUER, type ChannelTokenOptions, type ChannelTokenVariant } from './bot-side/channel-token.js';

export const OPENID_CONFIGURATION_PATH = '/botframework/v1/.well-known/openidconfiguration';
export const KEYS_PATH = '/botframework/v1/.well-known/keys';

/**
 * The Bot Framework's OpenID metadata and signing keys, which botbuilder reads to check the channel's
 * tokens (ToBotFromChannelOpenIdMetadataUrl; real ones at https://login.botframework.com/v1/.well-known/…).
 * Plain HTTP is fine: botbuilder fetches both with node-fetch (wire-facts B4 "Metadata and keys").
 * botbuilder caches these per metadata URL for 24 h, so a key here never changes while a tenant runs.
 */
export function createBotFrameworkRouter(ctx: SimContext): express.Router {
  const router = express.Router();
  const keys = botFrameworkKeys(ctx);
  // The JWKS sits beside the metadata document, wherever the server mounts this router.
  const jwksUri = new URL('keys', ctx.urls.botOpenIdMetadata).href;
  const jwks = Promise.all([
    publicJwk(keys.endorsed, { endorsements: ['msteams'] }),
    publicJwk(keys.unendorsed, { endorsements: UNENDORSED_KEY_CHANNELS }),
  ]);

  router.get(OPENID_CONFIGURATION_PATH, (req, res) => {
    ctx.state.noteClient('botframework.metadata', req.socket.remotePort);
    // The fields of the real document (bot-docs connector-authentication, "Step 2: Get the OpenID metadata document").
    res.json({
      issuer: ctx.cloud.botFramework,
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: jwksUri,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
  });
  router.get(KEYS_PATH, async (req, res) => {
    ctx.state.noteClient('botframework.keys', req.socket.remotePort);
    res.json({ keys: await jwks });
  });
  return router;
}
