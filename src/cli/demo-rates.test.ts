import { expect } from 'chai';
import { parseLimits } from '../simulator/limits.js';
import { demoRateEnv } from './demo-rates.js';

describe('demoRateEnv: the demo paces at the simulated tenant\'s limits', () => {
  const table: [string, Record<string, string>][] = [
    ['published', { GRAPH_INSTALLEDAPPS_GET_RPS: '30', GRAPH_INSTALLEDAPPS_POST_RPS: '30', GRAPH_DIRECTORY_RPS: '20', BOT_SEND_RPS: '50', BOT_SEND_PER_CONVERSATION_RPS: '7' }],
    ['x100', { GRAPH_INSTALLEDAPPS_GET_RPS: '3000', GRAPH_INSTALLEDAPPS_POST_RPS: '3000', GRAPH_DIRECTORY_RPS: '2000', BOT_SEND_RPS: '5000', BOT_SEND_PER_CONVERSATION_RPS: '700' }],
    ['graph-post=60,bot=100', { GRAPH_INSTALLEDAPPS_GET_RPS: '30', GRAPH_INSTALLEDAPPS_POST_RPS: '60', GRAPH_DIRECTORY_RPS: '20', BOT_SEND_RPS: '100', BOT_SEND_PER_CONVERSATION_RPS: '7' }],
    // No limit to pace at: our published defaults stay (nothing is sent as Infinity).
    ['off', {}],
    ['x10,bot=off', { GRAPH_INSTALLEDAPPS_GET_RPS: '300', GRAPH_INSTALLEDAPPS_POST_RPS: '300', GRAPH_DIRECTORY_RPS: '200', BOT_SEND_PER_CONVERSATION_RPS: '70' }],
  ];
  for (const [spec, want] of table) it(`--limits ${spec}`, () => expect(demoRateEnv(parseLimits(spec))).to.deep.equal(want));
});
