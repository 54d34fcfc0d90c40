import { FatalRunError, errorMessage } from '../errors.js';
import { untrustedCertificate } from '../net/tls-trust.js';
import type { BotAuthSettings } from '../config.js';
import { botTokenSource, type BotTokenSource } from './bot-token.js';
import { tokenRefusalFix, tokenRefusalOf } from './token-refusal.js';

/**
 * Gets the bot's token before `serve` or `install` starts (issue 11 major 2: a wrong secret used to
 * start, then fail every welcome as a "network error"). A refusal, or no token at all, is a
 * configuration error: exit 2 with the fix, before anything is sent or changed. The token lands in
 * botbuilder's cache, so the first send uses it.
 */
export async function requireBotToken(settings: BotAuthSettings, source: BotTokenSource = botTokenSource(settings)): Promise<void> {
  try {
    await source.getToken();
  } catch (e) {
    const appId = settings.appId ?? '';
    const refused = tokenRefusalOf(e);
    if (refused) {
      const fix = tokenRefusalFix(refused.aadsts, appId);
      throw new FatalRunError('BOT_TOKEN_REFUSED', `The bot's token was refused by ${source.loginUrl} (${[refused.status, refused.error].filter(Boolean).join(' ')}): ${refused.message}\nFix: ${fix} Nothing was sent.`, e, fix);
    }
    const tls = await untrustedCertificate(source.loginUrl);
    const why = tls ?? `${errorMessage(e).split('\n')[0]!.slice(0, 300)} — check that this machine reaches ${hostOf(source.loginUrl)} (proxy, firewall), and ToChannelFromBotLoginUrl if you set it`;
    throw new FatalRunError('BOT_TOKEN', `Could not get the bot's token for app ${appId} from ${source.loginUrl}: ${why}. Nothing was sent.`, e);
  }
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}
