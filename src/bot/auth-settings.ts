/**
 * The bot's identity and the Bot Framework endpoints it trusts, with botbuilder's own names
 * (ConfigurationBotFrameworkAuthenticationOptions, wire-facts B5). Everything but the app id and
 * password has a public-cloud default, so a real deployment sets only those; the simulator and
 * sovereign clouds override the endpoints.
 */
export interface BotAuthSettings {
  /** MicrosoftAppId. Absent = local-emulator mode (no inbound token checks; loopback only). */
  appId?: string | undefined;
  /** MicrosoftAppPassword (client secret). */
  appPassword?: string | undefined;
  /** MicrosoftAppType. @default 'MultiTenant' */
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** MicrosoftAppTenantId, required for SingleTenant / UserAssignedMSI. */
  appTenantId?: string | undefined;
  /** ToBotFromChannelOpenIdMetadataUrl. @default https://login.botframework.com/v1/.well-known/openidconfiguration */
  openIdMetadataUrl?: string | undefined;
  /** ToBotFromChannelTokenIssuer. @default https://api.botframework.com */
  tokenIssuer?: string | undefined;
  /** ToChannelFromBotLoginUrl: the outbound token authority, tenant included. @default https://login.microsoftonline.com/botframework.com */
  loginUrl?: string | undefined;
  /** ToChannelFromBotOAuthScope. @default https://api.botframework.com */
  oauthScope?: string | undefined;
  /** The bot lives in the US Government Bot Framework (TEAMS_CLOUD GCCHigh or DoD): the endpoints not set take its values. */
  usGovernment?: boolean;
}
