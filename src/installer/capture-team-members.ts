import { TeamsInfo, type CloudAdapter } from 'botbuilder';
import pLimit from 'p-limit';
import type { Logger } from '../log.js';
import { errorMessage } from '../errors.js';
import { applyChange } from '../store/apply-change.js';
import { referenceStored, rosterMayWelcome } from '../ledger/transitions.js';
import type { ConversationReferenceRow, Store } from '../store/types.js';
import { createConnectorCreate } from '../sender/connector-create.js';
import { toBotReference } from '../sender/connector-send.js';
import { pacedBotCall, type PacedBotCallDeps } from '../sender/paced-bot-call.js';

export interface TeamMembersDeps extends PacedBotCallDeps {
  adapter: CloudAdapter;
  botAppId: string;
  store: Store;
  log: Logger;
  tenantId: string;
  serviceUrl: string;
  /** The outbound token audience (ToChannelFromBotOAuthScope). */
  audience: string;
  onReferenceReady: () => void;
  /** Called once, after the first roster page is read and before anything is written (the rollout is recorded then, not for a team that cannot be read). */
  beforeFirstWrite?: () => Promise<void>;
}

export interface TeamTally {
  members: number;
  created: number;
  alreadyReady: number;
  failed: number;
}

interface Member {
  id: string;
  aadObjectId?: string;
  name?: string;
  userPrincipalName?: string;
}

/**
 * The guide's "message all members of a team" flow
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages):
 * list the team's members through the connector's paged members, create each person's 1:1
 * conversation (POST v3/conversations with the member and the tenant), and store the reference, so
 * that the sender welcomes them through the same exactly-once ledger as everyone else.
 */
export async function captureTeamMembers(d: TeamMembersDeps, teamConversationId: string, rolloutId: string, onMember?: (t: TeamTally) => void): Promise<TeamTally> {
  const tally: TeamTally = { members: 0, created: 0, alreadyReady: 0, failed: 0 };
  const teamRef = toBotReference({ tenantId: d.tenantId, aadObjectId: '', conversationId: teamConversationId, serviceUrl: d.serviceUrl, userId: null, botId: null, source: 'team-roster', capturedAt: 0 }, d.botAppId);
  teamRef.conversation = { ...teamRef.conversation!, conversationType: 'channel', isGroup: true };
  const limit = pLimit(8);
  let token: string | undefined;
  let first = true;
  do {
    let page: { members: Member[]; continuationToken?: string } = { members: [] };
    await pacedBotCall(d, d.tenantId, teamConversationId, () =>
      d.adapter.continueConversationAsync(d.botAppId, teamRef, async (ctx) => {
        page = (await TeamsInfo.getPagedMembers(ctx, 200, token)) as typeof page;
      }),
    );
    token = page.continuationToken || undefined;
    if (first) {
      first = false;
      await d.beforeFirstWrite?.();
    }
    const members = page.members.filter((m) => m.aadObjectId);
    tally.members += members.length;
    const ids = members.map((m) => m.aadObjectId!.toLowerCase());
    await d.store.insertUsers(
      members.map((m) => ({ tenantId: d.tenantId, aadObjectId: m.aadObjectId!.toLowerCase(), userPrincipalName: m.userPrincipalName ?? null, displayName: m.name ?? null, locale: null, state: 'pending' as const, reason: null, rolloutId })),
      d.clock.now(),
      'team-roster',
    );
    await d.store.addRolloutTargets(rolloutId, d.tenantId, ids);
    const rows = new Map((await d.store.getUsers(d.tenantId, ids)).map((r) => [r.aadObjectId, r]));
    await Promise.all(
      members.map((m) =>
        limit(async () => {
          const id = m.aadObjectId!.toLowerCase();
          const row = rows.get(id);
          if (row && !rosterMayWelcome(row)) {
            tally.alreadyReady++;
            return;
          }
          try {
            const ref = await createPersonalConversation(d, m, id);
            await d.store.putReference(ref);
            const r = await applyChange(d.store, d.tenantId, id, (x) => referenceStored(x, 'team-roster', ref.capturedAt), { at: ref.capturedAt, actor: 'team-roster', rolloutId });
            if (r.row?.state === 'reference_ready') d.onReferenceReady();
            tally.created++;
          } catch (e) {
            tally.failed++;
            d.log.warn('could not create a 1:1 conversation with a team member', { user: id, error: errorMessage(e) });
          } finally {
            onMember?.(tally);
          }
        }),
      ),
    );
  } while (token);
  return tally;
}

async function createPersonalConversation(d: TeamMembersDeps, m: Member, aadObjectId: string): Promise<ConversationReferenceRow> {
  const create = createConnectorCreate(d.adapter, d.botAppId, d.audience);
  const conversationId = await pacedBotCall(d, d.tenantId, `create:${m.id}`, () => create({ tenantId: d.tenantId, serviceUrl: d.serviceUrl, memberId: m.id, name: m.name }));
  return { tenantId: d.tenantId, aadObjectId, conversationId, serviceUrl: d.serviceUrl, userId: m.id, botId: `28:${d.botAppId}`, source: 'team-roster', capturedAt: d.clock.now() };
}
