import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, GovernmentConstants } from 'botframework-connector';
import { CallerIdConstants } from 'botframework-schema';
import type { BotAuthSettings } from '../config.js';

/** The public-cloud values botbuilder uses when no endpoint is overridden (botframework-connector authenticationConstants.ts). */
export const PUBLIC_CLOUD = {
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
} as const;

/** The US Government Bot Framework's (botframework-connector governmentConstants.ts; bot-docs how-to-deploy-gov-cloud-high.md). */
export const US_GOV_CLOUD = {
  ToBotFromChannelOpenIdMetadataUrl: GovernmentConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromChannelTokenIssuer: GovernmentConstants.ToBotFromChannelTokenIssuer,
  ToChannelFromBotLoginUrl: GovernmentConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: GovernmentConstants.ToChannelFromBotOAuthScope,
  OAuthUrl: GovernmentConstants.OAuthUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: GovernmentConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: CallerIdConstants.USGovChannel,
} as const;

export function hasEndpointOverrides(settings: BotAuthSettings): boolean {
  return [settings.openIdMetadataUrl, settings.tokenIssuer, settings.loginUrl, settings.oauthScope].some((v) => v !== undefined && v !== '');
}

/**
 * Our settings → botbuilder's ConfigurationBotFrameworkAuthenticationOptions (wire-facts B5).
 *
 * With no endpoint override the endpoint keys stay out, and botbuilder picks its public-cloud constants.
 * With any override botbuilder switches to ParameterizedBotFrameworkAuthentication and takes *exactly*
 * the values given: a key left unset becomes `undefined`, not its default (B5 "How the settings
 * combine"). So we fill every endpoint key, the unset ones with the public-cloud value (the US Government one for TEAMS_CLOUD GCCHigh or DoD).
 *
 * Without an app id (local-emulator mode) the app type stays out too: botbuilder asserts an app id for
 * SingleTenant and UserAssignedMSI.
 */
export function toBotFrameworkAuthConfig(settings: BotAuthSettings): ConfigurationBotFrameworkAuthenticationOptions {
  const config: ConfigurationBotFrameworkAuthenticationOptions = {};
  if (settings.appId) {
    config.MicrosoftAppId = settings.appId;
    config.MicrosoftAppType = settings.appType;
    if (settings.appPassword) config.MicrosoftAppPassword = settings.appPassword;
    if (settings.appTenantId) config.MicrosoftAppTenantId = settings.appTenantId;
  }
  if (!hasEndpointOverrides(settings)) return config;
  return {
    ...config,
    ...(settings.usGovernment ? US_GOV_CLOUD : PUBLIC_CLOUD),
    ...(settings.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl } : {}),
    ...(settings.tokenIssuer ? { ToBotFromChannelTokenIssuer: settings.tokenIssuer } : {}),
    ...(settings.loginUrl ? { ToChannelFromBotLoginUrl: settings.loginUrl } : {}),
    ...(settings.oauthScope ? { ToChannelFromBotOAuthScope: settings.oauthScope } : {}),
  };
}
