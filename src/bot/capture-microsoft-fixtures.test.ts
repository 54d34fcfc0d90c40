import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { TurnContext } from 'botbuilder';
import type { Activity } from 'botframework-schema';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { silentLogger } from '../log.js';
import { tenantServiceUrl } from '../references/tenant-service-url.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { createActivityHandler } from './on-activity.js';
import { interpretActivity } from './to-conversation-ref.js';

/**
 * Capture against payloads from Microsoft, not from our simulator: test/fixtures/microsoft/, each file
 * naming its source in `_source` (msteams-docs, microsoft/teams.net's captured activity, Graph's chat id).
 */
function microsoft(name: string): { source: string; activity: Partial<Activity> } {
  const { _source, ...activity } = JSON.parse(readFileSync(new URL(`../../test/fixtures/microsoft/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return { source: String(_source), activity: activity as Partial<Activity> };
}

const NOW = 1_800_000_000_000;
// The Teams capture kept in microsoft/teams.net (teams-net-personal-invoke.json).
const TENANT = '56653e9d-2158-46ee-90d7-675c39642038';
const USER = 'c5e99701-2a32-49c1-a660-4629ceeb8c61';
const USER_29 = '29:1uMVvhoAyfTqdMsyvHL0qlJTTfQF9MOUSI8_cQts2kdSWEZVDyJO2jz-CsNOhQcdYq1Bw4cHT0__O6XDj4AZ-Jw';
const BOT = '28:aabdbd62-bc97-4afb-83ee-575594577de5';
const A_ID = 'a:17vxw6pGQOb3Zfh8acXT8m_PqHycYpaFgzu2mFMUfkT-h0UskMctq5ZPPc7FIQxn2bx7rBSm5yE_HeUXsCcKZBrv77RgorB3_1_pAdvMhi39ClxQgawzyQ9GBFkdiwOxT';
const UNQ_ID = '19:0de69e5e-2da8-4cf2-821f-5e6585b2c65b_f32b83bb-4fc8-4db7-b7f5-76cdbbb8aa1c@unq.gbl.spaces';
const TENANT_SCOPED = `https://smba.trafficmanager.net/amer/${TENANT}/`;

describe('capture against Microsoft payloads (test/fixtures/microsoft, wire-facts B1)', () => {
  it('every fixture names where it comes from', () => {
    for (const name of ['docs-personal-bot-added', 'docs-installation-update-add-team', 'teams-net-personal-invoke', 'personal-installation-update-add', 'personal-installation-update-add-upgrade', 'personal-installation-update-remove', 'personal-conversation-update-unq']) {
      expect(microsoft(name).source, name).to.match(/https:\/\/|microsoft\/teams\.net/);
    }
  });

  describe('interpretActivity', () => {
    const installs: { name: string; conversationId: string; source: string }[] = [
      { name: 'personal-installation-update-add', conversationId: A_ID, source: 'installationUpdate' },
      { name: 'personal-installation-update-add-upgrade', conversationId: A_ID, source: 'installationUpdate' },
      { name: 'personal-conversation-update-unq', conversationId: UNQ_ID, source: 'conversationUpdate' },
    ];
    for (const c of installs) {
      it(`${c.name} → the reference exactly as Teams sent it (tenant-scoped serviceUrl, ${c.conversationId.slice(0, 3)}… id kept opaque)`, () => {
        expect(interpretActivity(microsoft(c.name).activity, NOW)).to.deep.equal({
          kind: 'personal-install',
          ref: { tenantId: TENANT, aadObjectId: USER, conversationId: c.conversationId, serviceUrl: TENANT_SCOPED, userId: USER_29, botId: BOT, source: c.source, capturedAt: NOW },
          locale: 'en-US',
          displayName: 'Rido',
        });
      });
    }

    it('personal-installation-update-remove → personal-uninstall of that person', () => {
      expect(interpretActivity(microsoft('personal-installation-update-remove').activity, NOW)).to.deep.equal({ kind: 'personal-uninstall', tenantId: TENANT, aadObjectId: USER });
    });

    it("the doc's one-to-one conversationUpdate: the bot is found by comparing membersAdded with recipient.id, as the doc says", () => {
      const { activity } = microsoft('docs-personal-bot-added');
      // Verbatim, the doc's placeholders disagree ("28:<BOT ID>" vs the bot's real id in membersAdded): not the bot, so nothing is taken.
      expect(interpretActivity(activity, NOW).kind).to.equal('other');
      const m = interpretActivity({ ...activity, recipient: { id: '28:f5d48856-5b42-41a0-8c3a-c5f944b679b0', name: '<BOT NAME>' } }, NOW);
      if (m.kind !== 'personal-install') return expect.fail(m.kind);
      // Opaque values are kept as they are; a second member (the user) in membersAdded changes nothing.
      expect(m.ref).to.include({ tenantId: '<TENANT ID>', conversationId: '***', serviceUrl: 'https://smba.trafficmanager.net/amer-client-ss.msg/', userId: '29:<USERID>', source: 'conversationUpdate' });
    });

    it("the doc's team installationUpdate add → conversation-install keyed by the team, never a personal reference", () => {
      expect(interpretActivity(microsoft('docs-installation-update-add-team').activity, NOW)).to.deep.equal({
        kind: 'conversation-install',
        row: {
          tenantId: 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f',
          conversationId: '19:zFLSDFWsesfzcmKArqKJ-65aOXJz@sgf462H2wz41@thread.tacv2',
          scope: 'team',
          teamId: '19:zFLSDFWsesfzcmKArqKJ-65aOXJz@sgf462H2wz41@thread.tacv2',
          name: 'TestTeam2022',
          serviceUrl: 'https://smba.trafficmanager.net/amer/',
          installedAt: NOW,
          removedAt: null,
        },
      });
    });

    it('the captured personal invoke is not an install', () => {
      expect(interpretActivity(microsoft('teams-net-personal-invoke').activity, NOW).kind).to.equal('other');
    });
  });

  describe('the activity handler, on a real ledger', () => {
    let store: Store;
    const clock = new FakeClock(NOW);
    const ready: number[] = [];
    const handler = () => createActivityHandler({ store, clock, log: silentLogger, onReferenceReady: () => ready.push(clock.now()), app: { name: 'Contoso Helper', offer: 'help' } });
    const turn = (activity: Partial<Activity>) => ({ activity, sendActivity: async () => undefined }) as unknown as TurnContext;
    beforeEach(async () => {
      store = await openStore(':memory:');
      ready.length = 0;
    });
    afterEach(async () => store.close());

    it('a conversationUpdate with no installationUpdate at all is enough: the reference is stored and the person is ready', async () => {
      await handler()(turn(microsoft('personal-conversation-update-unq').activity));
      expect(await store.getReference(TENANT, USER)).to.include({ conversationId: UNQ_ID, serviceUrl: TENANT_SCOPED, source: 'conversationUpdate' });
      expect((await store.getUser(TENANT, USER))?.state).to.equal('reference_ready');
      expect(ready).to.have.length(1);
    });

    it('installationUpdate add, then add-upgrade, then remove: one reference, then the uninstall is recorded', async () => {
      const h = handler();
      await h(turn(microsoft('personal-installation-update-add').activity));
      await h(turn(microsoft('personal-installation-update-add-upgrade').activity));
      expect(await store.getReference(TENANT, USER)).to.include({ conversationId: A_ID, serviceUrl: TENANT_SCOPED });
      expect((await store.getUser(TENANT, USER))?.state).to.equal('reference_ready');
      await h(turn(microsoft('personal-installation-update-remove').activity));
      expect(await store.getUser(TENANT, USER)).to.include({ state: 'skipped', reason: 'uninstalled_by_user' });
    });

    it("any activity teaches the tenant's serviceUrl byte for byte, tenant path and trailing slash included (for references from Graph)", async () => {
      await handler()(turn(microsoft('teams-net-personal-invoke').activity));
      expect(await tenantServiceUrl(store, TENANT, 'https://smba.trafficmanager.net/teams/')).to.equal(TENANT_SCOPED);
    });
  });
});
