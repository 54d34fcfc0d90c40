import { expect } from 'chai';
import { readConnectorErrorBody } from './connector-error-body.js';

/** Each body shape the Bot Connector answers with (wire-facts H1), and bad input that must not throw. */
const ROWS: { name: string; body: unknown; codes: string[]; message: string }[] = [
  {
    name: 'errorCode 209 with the inner JSON string (send-proactive-messages.md, verbatim)',
    body: '{"errorCode":209,"message":"{\\r\\n  \\"subCode\\": \\"MessageWritesBlocked\\",\\r\\n  \\"details\\": \\"Thread is blocked from message writes.\\",\\r\\n  \\"errorCode\\": null,\\r\\n  \\"errorSubCode\\": null\\r\\n}"}',
    codes: ['MessageWritesBlocked'],
    message: 'Thread is blocked from message writes.',
  },
  {
    name: 'the ErrorResponse envelope',
    body: '{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the bot."}}',
    codes: ['ConversationBlockedByUser'],
    message: 'User blocked the conversation with the bot.',
  },
  { name: 'an already parsed envelope', body: { error: { code: 'BotDisabledByAdmin', message: 'x' } }, codes: ['BotDisabledByAdmin'], message: 'x' },
  { name: 'plain text', body: 'Forbidden', codes: [], message: 'Forbidden' },
  { name: 'empty', body: '', codes: [], message: '' },
  { name: 'JSON that is not an object', body: '[1,2]', codes: [], message: '[1,2]' },
  { name: 'an inner message that is not JSON', body: '{"errorCode":209,"message":"blocked"}', codes: [], message: 'blocked' },
];

describe('readConnectorErrorBody: codes in every shape of a connector error body', () => {
  for (const r of ROWS) {
    it(r.name, () => {
      expect(readConnectorErrorBody(r.body)).to.deep.equal({ codes: r.codes, message: r.message });
    });
  }
});
