import { createHash } from 'node:crypto';
import { generatePopulation, makeUser } from './population.js';
import { TOKEN_LIFETIME_SECONDS } from './token-claims.js';
import type { Rng } from './rng.js';
import type { TenantRefusalCode } from './bot-side/connector-errors.js';
import { BLOCKED_BODIES } from './types.js';
import type {
  CatalogApp,
  ChannelDelivery,
  Conversation,
  DeliveredMessage,
  Installation,
  SimGroup,
  SimTeam,
  SimUser,
} from './types.js';

import type { ConversationIdForm } from './env.js';

export interface TenantStateOptions {
  users: number;
  seed: string | number;
  now: number;
  /** @default 'a' */
  conversationIds?: ConversationIdForm;
}

/** The Graph application permissions the simulated app registration holds by default (least privilege, wire-facts A5). */
export const DEFAULT_ROLES = [
  'AppCatalog.Read.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
];

/** Sorted GUIDs, as in both real samples of a personal chat id (wire-facts A4 [INF]). */
export function chatIdFor(userId: string, botId: string): string {
  const [a, b] = [userId, botId].sort();
  return `19:${a}_${b}@unq.gbl.spaces`;
}

export function installationIdFor(userId: string, teamsAppId: string): string {
  return Buffer.from(`${userId}##${teamsAppId}`).toString('base64');
}

/**
 * Everything the tenant knows, in memory. The HTTP faces (graph.ts, connector.ts, channel.ts) read
 * and change it only through these methods, so the inspection API sees one consistent story.
 */
export class TenantState {
  readonly tenantId: string;
  /** One Entra app registration serves as the Graph client and as the bot (PRODUCT.md §3 default). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Our app in the org catalogue; its `id` changes when it is re-uploaded (reuploadApp). */
  app: CatalogApp;
  /** A second catalogue app owned by someone else (the *Self* permission may not install it). */
  readonly otherApp: CatalogApp;
  roles: string[] = [...DEFAULT_ROLES];

  readonly users: SimUser[];
  private readonly byId = new Map<string, SimUser>();
  private readonly byUpn = new Map<string, SimUser>();
  private readonly byBotUserId = new Map<string, SimUser>();
  /** userId → the personal `a:` conversation the channel announced (personalConversationFor). */
  private readonly personalByUser = new Map<string, Conversation>();
  /** userId → how many times their 1:1 conversation was created again after it was gone. */
  private readonly recreated = new Map<string, number>();
  readonly groups: SimGroup[];
  readonly teams: SimTeam[];
  /** userId → teamsAppId (catalogue id) → installation. */
  private readonly installs = new Map<string, Map<string, Installation>>();
  readonly conversations = new Map<string, Conversation>();
  readonly messages: DeliveredMessage[] = [];
  readonly deliveries: ChannelDelivery[] = [];
  /** API label → HTTP status → count. */
  readonly requests: Record<string, Record<string, number>> = {};
  /**
   * The client ports each API was called from (a port appears once however often it is used), so a
   * test can tell which calls came through a proxy: its upstream sockets' local ports (issue 10 item 4).
   */
  readonly clientPorts = new Map<string, Set<number>>();
  /** Where the Teams channel posts activities; null drops them (recorded as 'no-endpoint'). */
  botEndpoint: string | null = null;
  /** The tenant admin has disabled the bot (Teams admin center): every connector call answers 403 BotDisabledByAdmin. */
  botDisabledByAdmin = false;
  /** The tenant refuses the bot for everyone: every connector call answers 403 with this halt code (connector-errors.ts). */
  tenantRefusal: TenantRefusalCode | null = null;
  /**
   * The bot's outbound tokens (control: POST /_sim/bot-token). `secretExpired`: Bot Framework token requests
   * are answered AADSTS7000222. `lifetimeSeconds`: of the Bot Framework tokens issued from now on (Entra's
   * are about an hour, TOKEN_LIFETIME_SECONDS); botbuilder renews 5 minutes before the end, so 301–310 makes
   * a bot ask again every few seconds: how a test reaches a token renewal during a run.
   * `expiresAfterGrants`: the secret expires right after this many more Bot Framework tokens are granted,
   * in the same request (a test that polled the grant count raced the processes that asked next).
   */
  botToken: { secretExpired: boolean; lifetimeSeconds: number; expiresAfterGrants: number | null } = { secretExpired: false, lifetimeSeconds: TOKEN_LIFETIME_SECONDS, expiresAfterGrants: null };
  readonly rng: Rng;
  private nextSeq: number;

  readonly conversationIds: ConversationIdForm;

  constructor(options: TenantStateOptions) {
    this.conversationIds = options.conversationIds ?? 'a';
    const pop = generatePopulation({ users: options.users, seed: options.seed }, options.now);
    this.rng = pop.rng;
    this.tenantId = this.rng.uuid();
    this.clientId = this.rng.uuid();
    this.clientSecret = `sim~${createHash('sha256').update(`${options.seed}:secret`).digest('base64url').slice(0, 32)}`;
    this.app = {
      id: this.rng.uuid(),
      externalId: this.rng.uuid(),
      displayName: 'Contoso Helper',
      distributionMethod: 'organization',
      webApplicationInfoId: this.clientId,
      botId: this.clientId,
      version: '1.0.0',
      publishingState: 'published',
    };
    this.otherApp = {
      id: this.rng.uuid(),
      externalId: this.rng.uuid(),
      displayName: 'Expense Tracker',
      distributionMethod: 'organization',
      webApplicationInfoId: this.rng.uuid(),
      botId: this.rng.uuid(),
      version: '2.3.0',
      publishingState: 'published',
    };
    this.users = pop.users;
    this.groups = pop.groups;
    this.teams = pop.teams;
    this.nextSeq = this.users.length + 1;
    for (const u of this.users) this.index(u);
    // People who blocked the bot meet both of Teams' 403 bodies, alternately, so that any population of 2 or
    // more blocked people has each shape (wire-facts H1); no draw from the rng, so the population stays the same.
    this.users.filter((u) => u.kind === 'blocked_bot').forEach((u, i) => (u.blockedBody = BLOCKED_BODIES[i % BLOCKED_BODIES.length]));
    // People who already have the app (installed earlier by policy or by hand): no install event will come.
    for (const u of this.users) if (u.kind === 'already_installed') this.install(u.id, this.app.id, options.now - 86_400_000);
    for (const team of this.teams) {
      this.conversations.set(team.conversationId, { id: team.conversationId, kind: 'channel', teamId: team.id, deleted: false, createdAt: options.now });
    }
  }

  private index(u: SimUser): void {
    this.byId.set(u.id, u);
    this.byUpn.set(u.userPrincipalName.toLowerCase(), u);
    this.byBotUserId.set(u.botUserId, u);
  }

  /** Finds a user by object id or UPN (Graph accepts either in `/users/{id | userPrincipalName}`). */
  findUser(idOrUpn: string): SimUser | undefined {
    const u = this.byId.get(idOrUpn) ?? this.byUpn.get(idOrUpn.toLowerCase());
    return u && !u.deleted ? u : undefined;
  }

  /** Finds a (not deleted) user by the bot-specific `29:` id, without scanning the population. */
  findUserByBotUserId(botUserId: string): SimUser | undefined {
    const u = this.byBotUserId.get(botUserId);
    return u && !u.deleted ? u : undefined;
  }

  appById(teamsAppId: string): CatalogApp | undefined {
    return [this.app, this.otherApp].find((a) => a.id === teamsAppId);
  }

  installationsOf(userId: string): Installation[] {
    return [...(this.installs.get(userId)?.values() ?? [])];
  }

  installation(userId: string, teamsAppId: string): Installation | undefined {
    return this.installs.get(userId)?.get(teamsAppId);
  }

  /** Creates the installation and its 1:1 chat. The caller (Graph POST) decides about 409 before. */
  install(userId: string, teamsAppId: string, now: number): Installation {
    const app = this.appById(teamsAppId);
    const inst: Installation = {
      id: installationIdFor(userId, teamsAppId),
      userId,
      teamsAppId,
      installedAt: now,
      chatId: chatIdFor(userId, app?.botId ?? teamsAppId),
    };
    let perUser = this.installs.get(userId);
    if (!perUser) this.installs.set(userId, (perUser = new Map()));
    perUser.set(teamsAppId, inst);
    // The installation's chat is the same thread as the `a:` one the channel announces: for someone who removed
    // its history (kind 'deleted_chat') it is gone under both ids, and a reinstall does not bring it back.
    const chat = this.conversations.get(inst.chatId);
    const historyRemoved = this.byId.get(userId)?.kind === 'deleted_chat';
    if (!chat) this.conversations.set(inst.chatId, { id: inst.chatId, kind: 'personal', userId, deleted: historyRemoved, createdAt: now });
    else if (chat.deleted && !historyRemoved) chat.deleted = false;
    return inst;
  }

  /**
   * The admin deletes the app from the org catalogue and uploads it again: the manifest id
   * (`externalId`) stays, the catalogue `id` is new (Company Communicator's users met exactly this,
   * peers.md complaint 1). What becomes of existing installations is not documented; the more
   * demanding choice is made: they are carried over under the new id, so that a client still
   * holding the old id finds nobody's installation and gets 404 for the app until it looks it up again.
   */
  reuploadApp(): { previousId: string; id: string } {
    const previousId = this.app.id;
    this.app = { ...this.app, id: this.rng.uuid() };
    for (const perUser of this.installs.values()) {
      const inst = perUser.get(previousId);
      if (!inst) continue;
      perUser.delete(previousId);
      perUser.set(this.app.id, { ...inst, teamsAppId: this.app.id });
    }
    return { previousId, id: this.app.id };
  }

  /** Every installation removed through Graph's DELETE, with its time: the tenant's own record of an uninstall run. */
  readonly uninstalls: { userId: string; teamsAppId: string; at: number }[] = [];

  uninstall(userId: string, teamsAppId: string, now?: number): Installation | undefined {
    const inst = this.installs.get(userId)?.get(teamsAppId);
    if (inst) this.installs.get(userId)!.delete(teamsAppId);
    if (inst && now !== undefined) this.uninstalls.push({ userId, teamsAppId, at: now });
    return inst;
  }

  /**
   * The personal conversation the channel announces to the bot (an opaque `a:` id), created once
   * per user. For a 'deleted_chat' person (who removed the chat's history) it is gone by the time
   * anyone writes to it, under this id and under Graph's installation chat id alike: the connector
   * answers 404 ConversationNotFound to both, and only creating the conversation again
   * (openPersonalConversation) gives a chat that takes messages (wire-facts H2, msteams-docs#14079).
   */
  personalConversationFor(userId: string, now: number): Conversation {
    // Indexed by user: the channel and the connector ask for it on every install and create (100,000 people).
    const known = this.personalByUser.get(userId);
    if (known) return known;
    const user = this.byId.get(userId);
    const id = this.announcesGraphChatId(userId) ? chatIdFor(userId, this.app.botId ?? this.app.id) : `a:1${createHash('sha256').update(`${this.tenantId}:${userId}:personal`).digest('base64url')}`;
    const conv: Conversation = this.conversations.get(id) ?? { id, kind: 'personal', userId, deleted: user?.kind === 'deleted_chat', createdAt: now };
    this.conversations.set(id, conv);
    this.personalByUser.set(userId, conv);
    return conv;
  }

  /** Whether this person's first conversation carries Graph's `19:…@unq.gbl.spaces` id (then the same thread under one id). */
  private announcesGraphChatId(userId: string): boolean {
    if (this.conversationIds !== 'mixed') return this.conversationIds === 'unq';
    return createHash('sha256').update(`${this.tenantId}:${userId}:id-form`).digest()[0]! % 2 === 1;
  }

  /**
   * POST v3/conversations for a 1:1 (the caller checks the roster): the person's current conversation, the
   * same id every time while it lives; once it is gone (history removed, control route delete-chat) a new
   * `a:` conversation, which the channel also announces from then on. "After 'Remove chat history' …
   * recreate the conversation" works (msteams-docs#14079, wire-facts H2); the old ids stay gone.
   */
  openPersonalConversation(userId: string, now: number): Conversation {
    const current = this.personalConversationFor(userId, now);
    if (!current.deleted) return current;
    const generation = (this.recreated.get(userId) ?? 0) + 1;
    this.recreated.set(userId, generation);
    const id = `a:1${createHash('sha256').update(`${this.tenantId}:${userId}:personal:${generation}`).digest('base64url')}`;
    const conv: Conversation = { id, kind: 'personal', userId, deleted: false, createdAt: now };
    this.conversations.set(id, conv);
    this.personalByUser.set(userId, conv);
    return conv;
  }

  /** New hires (licensed members), for `--since-last` and sweeps. */
  addUsers(count: number, now: number): SimUser[] {
    const added: SimUser[] = [];
    for (let i = 0; i < count; i++) {
      const u = makeUser(this.rng, this.nextSeq++, 'member', 'contoso.onmicrosoft.com', now);
      this.users.push(u);
      this.index(u);
      added.push(u);
    }
    return added;
  }

  /** Soft-deletes a user (Graph keeps them in the recycle bin; delta reports `@removed` "changed"). */
  removeUser(idOrUpn: string): SimUser | undefined {
    const u = this.findUser(idOrUpn);
    if (!u) return undefined;
    u.deleted = true;
    this.touchUser(u);
    return u;
  }

  /** Records that a user's directory data changed now, so users/delta hands it out again. */
  touchUser(u: SimUser): void {
    u.changedSeq = this.nextSeq++;
  }

  get latestSeq(): number {
    return this.nextSeq - 1;
  }

  noteClient(api: string, port: number | undefined): void {
    if (port === undefined) return;
    let ports = this.clientPorts.get(api);
    if (!ports) this.clientPorts.set(api, (ports = new Set()));
    ports.add(port);
  }

  /** One more Bot Framework token granted: the secret expires when the grants set by `expiresAfterGrants` are used up. */
  botTokenGranted(): void {
    if (this.botToken.expiresAfterGrants === null) return;
    this.botToken.expiresAfterGrants -= 1;
    if (this.botToken.expiresAfterGrants > 0) return;
    this.botToken.secretExpired = true;
    this.botToken.expiresAfterGrants = null;
  }

  countRequest(api: string, status: number): void {
    const byStatus = (this.requests[api] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }

  recordMessage(m: DeliveredMessage): void {
    this.messages.push(m);
  }

  recordDelivery(d: ChannelDelivery): void {
    this.deliveries.push(d);
  }

  /** One person as the inspection shows them: kind, directory facts, and which apps they have. */
  userView(u: SimUser): Record<string, unknown> {
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      kind: u.kind,
      userType: u.userType,
      accountEnabled: u.accountEnabled,
      deleted: u.deleted,
      botUserId: u.botUserId,
      ...(u.kind === 'blocked_bot' ? { blockedBody: u.blockedBody ?? 'message-writes-blocked' } : {}),
      installedApps: this.installationsOf(u.id).map((i) => i.teamsAppId),
    };
  }

  /** The inspection document (checks/README.md fixes its shape). */
  inspect(options: { users?: boolean; messages?: boolean } = {}): Record<string, unknown> {
    return {
      tenantId: this.tenantId,
      teamsAppId: this.app.externalId,
      catalogAppId: this.app.id,
      botAppId: this.clientId,
      roles: this.roles,
      botEndpoint: this.botEndpoint,
      botDisabledByAdmin: this.botDisabledByAdmin,
      tenantRefusal: this.tenantRefusal,
      users:
        options.users === false
          ? undefined
          : this.users.map((u) => this.userView(u)),
      messages: options.messages === false ? undefined : this.messages,
      channel: this.deliveries,
      requests: this.requests,
      groups: this.groups.map((g) => ({ id: g.id, displayName: g.displayName, memberUserIds: g.memberUserIds, memberGroupIds: g.memberGroupIds })),
      teams: this.teams,
    };
  }
}
