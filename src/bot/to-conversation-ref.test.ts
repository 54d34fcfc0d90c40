import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Activity } from 'botframework-schema';
import { commandOf, interpretActivity, tenantOf, type ActivityMeaning } from './to-conversation-ref.js';

/** Payloads recorded from the simulated channel (test/fixtures/README.md), in the shapes of wire-facts B1; Microsoft's own are in capture-microsoft-fixtures.test.ts. */
const fixture = (name: string): Partial<Activity> => JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.json`, import.meta.url), 'utf8')) as Partial<Activity>;
const conversationUpdate = fixture('teams-personal-conversation-update');
const installationUpdate = fixture('teams-personal-installation-update');
const teamBotAdded = fixture('teams-team-bot-added');

const NOW = 1_700_000_000_000;
const TENANT = '06531673-39ab-42cd-ae64-bbfe8fa9c7bc';
const USER = '4c0f7bd1-8c6e-4d5b-b709-20008588f0e2';
const BOT = '28:d9dc04b5-5514-47a4-bf13-3f63bd9d8892';
const PERSONAL = 'a:11ijuCU5-Ho7oCe7-W2kb3MZXUpnkQWciXaKFnozHAzk';
const SERVICE_URL = 'http://127.0.0.1:3979/amer/06531673-39ab-42cd-ae64-bbfe8fa9c7bc/';
const TEAM = '19:d6d22dba984644aabf6705b448fec064@thread.tacv2';

/** A variant of a recorded payload: fields replaced, or removed when given `undefined`. */
function variant(base: Partial<Activity>, over: Record<string, unknown>): Partial<Activity> {
  const copy = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete copy[k];
    else copy[k] = v;
  }
  return copy as Partial<Activity>;
}

const message = (over: Record<string, unknown>) => variant(installationUpdate, { type: 'message', action: undefined, entities: undefined, ...over });
const kindOf = (a: Partial<Activity>): ActivityMeaning['kind'] => interpretActivity(a, NOW).kind;

describe('interpretActivity: what a Teams activity says about where the bot can write (wire-facts B1)', () => {
  describe('personal scope, from the recorded payloads', () => {
    const cases: { name: string; activity: Partial<Activity>; source: string }[] = [
      { name: 'conversationUpdate with the bot in membersAdded', activity: conversationUpdate, source: 'conversationUpdate' },
      { name: 'installationUpdate add', activity: installationUpdate, source: 'installationUpdate' },
      { name: 'installationUpdate add-upgrade', activity: variant(installationUpdate, { action: 'add-upgrade' }), source: 'installationUpdate' },
    ];
    for (const c of cases) {
      it(`${c.name} → personal-install with the reference exactly as received`, () => {
        const m = interpretActivity(c.activity, NOW);
        expect(m).to.deep.equal({
          kind: 'personal-install',
          ref: { tenantId: TENANT, aadObjectId: USER, conversationId: PERSONAL, serviceUrl: SERVICE_URL, userId: '29:1TA970YxuTVu3CSAAhYjw4g', botId: BOT, source: c.source, capturedAt: NOW },
          locale: 'en-GB',
          displayName: null,
        });
      });
    }

    it('both install events of one person give the same reference (either order captures the same thing)', () => {
      const a = interpretActivity(conversationUpdate, NOW);
      const b = interpretActivity(installationUpdate, NOW);
      if (a.kind !== 'personal-install' || b.kind !== 'personal-install') expect.fail('both are installs');
      expect({ ...a.ref, source: null }).to.deep.equal({ ...b.ref, source: null });
    });

    it('keeps the serviceUrl byte for byte, trailing slash and tenant path included (B1, B7)', () => {
      const url = `https://smba.trafficmanager.net/amer/${TENANT}/`;
      const m = interpretActivity(variant(installationUpdate, { serviceUrl: url }), NOW);
      expect(m.kind === 'personal-install' && m.ref.serviceUrl).to.equal(url);
    });

    it('lower-cases the Entra object id (the ledger key) and keeps the display name when Teams sends one', () => {
      const m = interpretActivity(variant(conversationUpdate, { from: { id: '29:x', aadObjectId: USER.toUpperCase(), name: 'Ada Lovelace' } }), NOW);
      if (m.kind !== 'personal-install') return expect.fail(m.kind);
      expect(m.ref.aadObjectId).to.equal(USER);
      expect(m.displayName).to.equal('Ada Lovelace');
    });

    it('takes the tenant from channelData.tenant when conversation.tenantId is absent', () => {
      const a = variant(installationUpdate, { conversation: { conversationType: 'personal', id: PERSONAL } });
      expect(tenantOf(a)).to.equal(TENANT);
      expect(kindOf(a)).to.equal('personal-install');
    });

    it('treats a missing conversationType as personal (older payloads)', () => {
      expect(kindOf(variant(installationUpdate, { conversation: { tenantId: TENANT, id: PERSONAL } }))).to.equal('personal-install');
    });

    const notInstalls: { name: string; activity: Partial<Activity>; kind: ActivityMeaning['kind'] }[] = [
      { name: 'conversationUpdate where someone else joined (bot not in membersAdded)', activity: variant(conversationUpdate, { membersAdded: [{ id: '29:someone' }] }), kind: 'other' },
      { name: 'conversationUpdate with no membersAdded at all', activity: variant(conversationUpdate, { membersAdded: undefined }), kind: 'other' },
      { name: 'conversationUpdate without a recipient (cannot tell the bot)', activity: variant(conversationUpdate, { recipient: undefined }), kind: 'other' },
      { name: 'install event without aadObjectId (no ledger key)', activity: variant(installationUpdate, { from: { id: '29:1TA970YxuTVu3CSAAhYjw4g' } }), kind: 'other' },
      { name: 'install event without a tenant', activity: variant(installationUpdate, { conversation: { conversationType: 'personal', id: PERSONAL }, channelData: {} }), kind: 'other' },
      { name: 'install event without a serviceUrl', activity: variant(installationUpdate, { serviceUrl: undefined }), kind: 'other' },
      { name: 'install event without a conversation id', activity: variant(installationUpdate, { conversation: { conversationType: 'personal', tenantId: TENANT } }), kind: 'other' },
      { name: 'installationUpdate with an unknown action', activity: variant(installationUpdate, { action: 'refresh' }), kind: 'other' },
      { name: 'a typing indicator', activity: variant(installationUpdate, { type: 'typing', action: undefined }), kind: 'other' },
    ];
    for (const c of notInstalls) {
      it(`${c.name} → ${c.kind}`, () => expect(kindOf(c.activity)).to.equal(c.kind));
    }

    it('installationUpdate remove → personal-uninstall of that person (lower-cased)', () => {
      const m = interpretActivity(variant(installationUpdate, { action: 'remove', from: { id: '29:x', aadObjectId: USER.toUpperCase() } }), NOW);
      expect(m).to.deep.equal({ kind: 'personal-uninstall', tenantId: TENANT, aadObjectId: USER });
    });

    it('conversationUpdate with the bot in membersRemoved → personal-uninstall', () => {
      const m = interpretActivity(variant(conversationUpdate, { membersAdded: undefined, membersRemoved: [{ id: BOT }] }), NOW);
      expect(m).to.deep.equal({ kind: 'personal-uninstall', tenantId: TENANT, aadObjectId: USER });
    });

    it('remove-upgrade is never taken for an install', () => {
      expect(kindOf(variant(installationUpdate, { action: 'remove-upgrade' }))).not.to.equal('personal-install');
    });
  });

  describe('team and group-chat scope: recorded, never a personal reference', () => {
    it('the recorded team install → conversation-install keyed by the team id, with its name', () => {
      expect(interpretActivity(teamBotAdded, NOW)).to.deep.equal({
        kind: 'conversation-install',
        row: { tenantId: TENANT, conversationId: TEAM, scope: 'team', teamId: TEAM, name: 'IT Champions', serviceUrl: SERVICE_URL, installedAt: NOW, removedAt: null },
      });
    });

    it('installationUpdate add in a team → conversation-install', () => {
      expect(kindOf(variant(teamBotAdded, { type: 'installationUpdate', action: 'add', membersAdded: undefined }))).to.equal('conversation-install');
    });

    it('a group chat install → conversation-install with scope groupChat and the chat id', () => {
      const chat = { isGroup: true, conversationType: 'groupChat', tenantId: TENANT, id: '19:meeting_abc@thread.v2', name: 'Launch crew' };
      const m = interpretActivity(variant(conversationUpdate, { conversation: chat }), NOW);
      expect(m).to.deep.equal({
        kind: 'conversation-install',
        row: { tenantId: TENANT, conversationId: chat.id, scope: 'groupChat', teamId: null, name: 'Launch crew', serviceUrl: SERVICE_URL, installedAt: NOW, removedAt: null },
      });
    });

    it('the bot removed from a team → conversation-uninstall of the team', () => {
      const m = interpretActivity(variant(teamBotAdded, { membersAdded: undefined, membersRemoved: [{ id: BOT }] }), NOW);
      expect(m).to.deep.equal({ kind: 'conversation-uninstall', tenantId: TENANT, conversationId: TEAM });
    });

    it('a member (not the bot) added to a team → other', () => {
      expect(kindOf(variant(teamBotAdded, { membersAdded: [{ id: '29:new-hire', aadObjectId: USER }] }))).to.equal('other');
    });

    it('a channel message, even "stop", is not a personal command', () => {
      expect(kindOf(variant(teamBotAdded, { type: 'message', text: '<at>Contoso Helper</at> stop', membersAdded: undefined }))).to.equal('other');
    });
  });

  describe('personal messages', () => {
    it('a reply carries the freshest reference (source message) and its command', () => {
      const m = interpretActivity(message({ text: 'stop', serviceUrl: 'https://smba.trafficmanager.net/emea/' }), NOW);
      if (m.kind !== 'message') return expect.fail(m.kind);
      expect(m.command).to.equal('stop');
      expect(m.ref).to.include({ source: 'message', serviceUrl: 'https://smba.trafficmanager.net/emea/', aadObjectId: USER, conversationId: PERSONAL });
    });

    it('a message without aadObjectId still gets an answer, but no reference', () => {
      const m = interpretActivity(message({ text: 'hello', from: { id: '29:x' } }), NOW);
      expect(m).to.deep.equal({ kind: 'message', ref: null, command: 'help' });
    });
  });
});

describe('commandOf: stop / start / help from a typed reply or the card (PRODUCT.md §2 "Opt-out")', () => {
  const table: [string, Record<string, unknown>, 'stop' | 'start' | 'help'][] = [
    ['stop', { text: 'stop' }, 'stop'],
    ['STOP with spaces', { text: '  STOP  ' }, 'stop'],
    ['stop with a trailing period', { text: 'stop.' }, 'stop'],
    ['unsubscribe', { text: 'Unsubscribe' }, 'stop'],
    ['opt out / opt-out / optout', { text: 'opt-out please' }, 'stop'],
    ['optout', { text: 'optout' }, 'stop'],
    ['an <at> mention before stop', { text: '<at>Contoso Helper</at> stop' }, 'stop'],
    ['an <at> mention with markup around', { text: '<p><at>Contoso Helper</at>&nbsp;</p>' }, 'help'],
    ['HTML-wrapped stop', { text: '<p>stop</p>' }, 'stop'],
    ['start', { text: 'start' }, 'start'],
    ['subscribe', { text: 'subscribe' }, 'start'],
    ['opt in', { text: 'opt in' }, 'start'],
    ['an <at> mention before start', { text: '<at>Bot</at>   Start' }, 'start'],
    ['help', { text: 'help' }, 'help'],
    ['anything else', { text: 'hello there' }, 'help'],
    ['a word that begins with stop', { text: 'stopwatch' }, 'help'],
    ['a word that begins with start', { text: 'starter pack' }, 'help'],
    ['no text at all', {}, 'help'],
    ['card Action.Submit {action:"stop"}', { value: { action: 'stop' } }, 'stop'],
    ['card Action.Submit {action:"start"}', { value: { action: 'start' } }, 'start'],
    ['card Action.Submit {action:"help"} (Get started)', { value: { action: 'help' } }, 'help'],
    ['the card action wins over text', { text: 'hello', value: { action: 'stop' } }, 'stop'],
    ['a card value without an action falls back to the text', { text: 'stop', value: { other: 1 } }, 'stop'],
    ['a non-string action is ignored', { text: 'start', value: { action: 1 } }, 'start'],
  ];
  for (const [name, fields, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(commandOf(message(fields))).to.equal(expected);
    });
  }
});
