import { expect } from 'chai';
import { tokenRefusalCheckFix } from './token-fix.js';

describe('tokenRefusalCheckFix: what doctor says to do about a refused token', () => {
  // MSAL's own rendering of Entra's answer (the simulated tenant sends the documented body; MSAL prefixes "Error(s): N - Timestamp: …").
  const otherCloud = 'invalid_resource: Error(s): 500011 - Timestamp: 2026-12-08 02:49:51Z - Description: AADSTS500011: The resource principal named https://graph.microsoft.com/.default was not found in the tenant named c8e.';
  const cases: [string, string, 'graph' | 'bot', Parameters<typeof tokenRefusalCheckFix>[2], RegExp][] = [
    ['a scope of another cloud (Graph)', otherCloud, 'graph', 'Public', /the scope https:\/\/graph\.microsoft\.com\/\.default, which is TEAMS_CLOUD=Public's.*GCCHigh or DoD/],
    ['a scope of another cloud (bot)', otherCloud.replace('graph.microsoft.com', 'api.botframework.us'), 'bot', 'GCCHigh', /https:\/\/api\.botframework\.us\/\.default, which is TEAMS_CLOUD=GCCHigh's/],
    ['a wrong secret (Graph)', 'invalid_client: AADSTS7000215: Invalid client secret provided.', 'graph', 'Public', /^check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/],
    ['a wrong secret (bot)', 'invalid_client: AADSTS7000215: Invalid client secret provided.', 'bot', 'Public', /^check MicrosoftAppId, MicrosoftAppPassword/],
    ['a code that only starts like it', 'AADSTS5000112: something else', 'graph', 'Public', /^check AZURE_TENANT_ID/],
  ];
  for (const [what, message, token, cloud, want] of cases) it(what, () => expect(tokenRefusalCheckFix(message, token, cloud)).to.match(want));
});
