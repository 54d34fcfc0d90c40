import { createRng, type Rng } from './rng.js';
import { TEAMS_SERVICE_PLAN_ID, type SimGroup, type SimTeam, type SimUser, type UserKind } from './types.js';

/**
 * The people of the simulated tenant, generated from a seed. Proportions are those of a typical
 * mid-size organisation (PRODUCT.md §7): mostly licensed members, a few guests, some disabled or
 * unlicensed accounts, a few people under an app permission policy that blocks the app, some who
 * already have it, and a handful who blocked the bot or deleted its chat.
 */
export const KIND_SHARES: Record<Exclude<UserKind, 'member'>, number> = {
  guest: 0.06,
  disabled: 0.03,
  unlicensed: 0.03,
  blocked_by_policy: 0.02,
  already_installed: 0.05,
  blocked_bot: 0.01,
  deleted_chat: 0.01,
};

const GIVEN = ['Ada', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farah', 'Gustav', 'Hana', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomoko', 'Uma', 'Viktor', 'Wei', 'Ximena', 'Yusuf', 'Zoë'];
const SURNAMES = ['Adams', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'Larsen', 'Müller', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Urban', 'Virtanen', 'Wong', 'Xu', 'Yilmaz', 'Zimmermann'];
const LOCALES = ['en-US', 'en-US', 'en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'nl-NL'];

export interface PopulationOptions {
  users: number;
  seed: string | number;
  domain?: string;
}

export interface Population {
  users: SimUser[];
  groups: SimGroup[];
  teams: SimTeam[];
  rng: Rng;
}

/** How many users of each kind for `n` people: every kind present once n >= 8, members the rest. */
export function kindCounts(n: number): Record<UserKind, number> {
  const counts = { member: 0 } as Record<UserKind, number>;
  let minority = 0;
  for (const [kind, share] of Object.entries(KIND_SHARES) as [Exclude<UserKind, 'member'>, number][]) {
    const c = n >= 8 ? Math.max(1, Math.round(n * share)) : 0;
    counts[kind] = c;
    minority += c;
  }
  counts.member = n - minority;
  return counts;
}

export function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** A deterministic bot-specific user id (`29:1…`), opaque like the real ones. */
export function botUserIdFor(userId: string): string {
  return `29:1${Buffer.from(userId.replace(/-/g, ''), 'hex').toString('base64url')}`;
}

export function makeUser(rng: Rng, seq: number, kind: UserKind, domain: string, createdAt: number): SimUser {
  const givenName = rng.pick(GIVEN);
  const surname = rng.pick(SURNAMES);
  const id = rng.uuid();
  const guest = kind === 'guest';
  const local = `${slug(givenName)}.${slug(surname)}${seq}`;
  const upn = guest ? `${local}_fabrikam.com#EXT#@${domain}` : `${local}@${domain}`;
  return {
    id,
    userPrincipalName: upn,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: guest ? `${local}@fabrikam.com` : upn,
    userType: guest ? 'Guest' : 'Member',
    accountEnabled: kind !== 'disabled',
    preferredLanguage: rng.pick(LOCALES),
    assignedPlans:
      kind === 'unlicensed' || guest
        ? []
        : [{ assignedDateTime: new Date(createdAt).toISOString(), capabilityStatus: 'Enabled', service: 'TeamspaceAPI', servicePlanId: TEAMS_SERVICE_PLAN_ID }],
    kind,
    botUserId: botUserIdFor(id),
    seq,
    deleted: false,
  };
}

export function generatePopulation(options: PopulationOptions, createdAt: number): Population {
  const rng = createRng(options.seed);
  const domain = options.domain ?? 'contoso.onmicrosoft.com';
  const kinds: UserKind[] = [];
  for (const [kind, count] of Object.entries(kindCounts(options.users)) as [UserKind, number][]) {
    for (let i = 0; i < count; i++) kinds.push(kind);
  }
  // Fisher–Yates with the seeded generator, so kinds are spread through the pages.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const users = kinds.map((kind, i) => makeUser(rng, i + 1, kind, domain, createdAt));

  // Groups overlap on purpose (someone in two groups must be handled once), and one is nested.
  const pick = (share: number) => users.filter(() => rng.next() < share).map((u) => u.id);
  const engineering: SimGroup = { id: rng.uuid(), displayName: 'Engineering', memberUserIds: pick(0.3), memberGroupIds: [] };
  const sales: SimGroup = { id: rng.uuid(), displayName: 'Sales', memberUserIds: pick(0.2), memberGroupIds: [] };
  const platform: SimGroup = { id: rng.uuid(), displayName: 'Platform team', memberUserIds: pick(0.05), memberGroupIds: [] };
  const pilot: SimGroup = { id: rng.uuid(), displayName: 'Pilot ring', memberUserIds: pick(0.03), memberGroupIds: [platform.id] };
  engineering.memberGroupIds.push(platform.id);
  const groups = [engineering, sales, platform, pilot];

  const members = users.filter((u) => u.kind !== 'guest' && u.kind !== 'disabled');
  const teamOf = (name: string, share: number): SimTeam => ({
    id: rng.uuid(),
    displayName: name,
    conversationId: `19:${rng.uuid().replace(/-/g, '')}@thread.tacv2`,
    memberUserIds: members.filter(() => rng.next() < share).slice(0, 400).map((u) => u.id),
  });
  const teams = [teamOf('IT Champions', Math.min(1, 40 / Math.max(1, members.length))), teamOf('All Hands', Math.min(1, 150 / Math.max(1, members.length)))];
  return { users, groups, teams, rng };
}
