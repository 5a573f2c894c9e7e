import type { Transaction } from 'kysely';
import type { Store } from '../../store/db.ts';
import { StoreConflict, StoreParentMissing, VersionMismatch } from '../../store/errors.ts';
import type { Database, TeamworkSectionTable, UserTable } from '../../store/schema.ts';
import { type Handle, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, forbidden, ifMatchRequired, sectionsVersionStale } from '../../wire/errors.ts';
import type { UsersService } from '../users/users.service.ts';
import { type ConversationRef, defaultSystemSortType, parseVersion, systemSectionId, systemSectionNames } from './teamwork.schemas.ts';
import * as teamworkStore from './teamwork.store.ts';

/** Every mutation advances the user's hierarchy version by this step (the seed page's examples: …200 → …210 → …220). */
const versionStep = 10;

export const sectionConflict = (message: string) => new GraphError('Conflict', message);
export const notMemberOfConversation = () => forbidden('Access to this resource is denied. The caller must be a member of the conversation being added.');

/** What a mutation sees inside its transaction, once the compare-and-set has won. */
export interface Mutation {
  readonly tx: Transaction<Database>;
  readonly owner: UserTable;
  /** The version after this mutation: every returned object carries it as its etag. */
  readonly version: number;
  readonly now: string;
}

/** Graph writes these timestamps without a fraction (the sections pages' examples); so does a seed's load. */
export const sectionTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
const nowIso = () => sectionTime(new Date());

/**
 * Whose sections a request touches, and who may touch them: a delegated caller only their own, an
 * application any user of its tenant (docs/decisions.md #61).
 */
export class TeamworkAccess {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
  ) {}

  async owner(principal: Principal, userIdOrUpn: string): Promise<UserTable> {
    const user = await this.users.get(principal, userIdOrUpn);
    if (principal.userId !== null && principal.userId !== user.id) {
      throw forbidden("With delegated permissions, a user's teamwork sections can be read or changed only by that user.");
    }
    return user;
  }

  /** Reads provision the user's system sections first, in a transaction of their own when missing. */
  async readable(principal: Principal, userIdOrUpn: string): Promise<UserTable> {
    const owner = await this.owner(principal, userIdOrUpn);
    if ((await teamworkStore.countSystemSections(this.store.db, owner.id)) < systemSectionNames.length) {
      await withTransaction(this.store, (tx) => provision(tx, owner));
    }
    return owner;
  }

  /**
   * Runs `fn` as one If-Match mutation: a missing header is 428; the user's version is compared and
   * advanced in the same transaction as the change, so a stale header (412) or any later failure
   * leaves nothing written.
   */
  async mutate<T>(principal: Principal, userIdOrUpn: string, ifMatch: string, fn: (m: Mutation) => Promise<T>): Promise<T> {
    const owner = await this.owner(principal, userIdOrUpn);
    const expected = parseVersion(ifMatch);
    try {
      return await withTransaction(this.store, async (tx) => {
        await provision(tx, owner);
        if (expected === null) throw new VersionMismatch(0);
        const version = await teamworkStore.bumpSectionsVersion(tx, owner.id, expected, versionStep);
        return fn({ tx, owner, version, now: nowIso() });
      });
    } catch (err) {
      if (err instanceof VersionMismatch) throw sectionsVersionStale();
      if (err instanceof StoreConflict) throw sectionConflict('A section with this display name already exists.');
      // Writers of one user's sections take turns on the version, so only a reset can remove a parent
      // (a section, the user's hierarchy) under a write: the hierarchy changed since the caller read it.
      if (err instanceof StoreParentMissing) throw sectionsVersionStale();
      throw err;
    }
  }
}

/** The header Graph requires on every sections mutation; 428 when it is absent or blank. */
export function requireIfMatch(ifMatch: string | undefined): string {
  if (ifMatch === undefined || ifMatch.trim() === '') throw ifMatchRequired();
  return ifMatch;
}

/**
 * Creates the user's hierarchy row and six system sections if any is missing. Idempotent and safe
 * when instances race: inserts skip rows that exist, and the version is not touched.
 */
async function provision(tx: Handle, owner: UserTable): Promise<void> {
  if ((await teamworkStore.countSystemSections(tx, owner.id)) >= systemSectionNames.length) return;
  const now = nowIso();
  const sections: TeamworkSectionTable[] = systemSectionNames.map((name) => ({
    id: systemSectionId(owner.tenant_id, owner.id, name),
    user_id: owner.id,
    display_name: name,
    display_icon: null,
    is_expanded: 1,
    sort_type: defaultSystemSortType[name],
    section_type: 'systemDefined',
    system_name: name,
    created_date_time: now,
    last_modified_date_time: now,
  }));
  const teamwork = { user_id: owner.id, tenant_id: owner.tenant_id, sections_version: Math.floor(Date.now() / 1000), sections_order: '[]' };
  await teamworkStore.insertTeamworkIfMissing(tx, teamwork, sections);
}

/** Whether the hierarchy's owner belongs to the conversation an item would point at. */
export async function isMemberOf(tx: Handle, ref: ConversationRef, userId: string): Promise<boolean> {
  switch (ref.itemType) {
    case 'chat':
    case 'meeting':
      return teamworkStore.isChatMember(tx, ref.id, userId);
    case 'channel':
      return teamworkStore.isChannelMember(tx, ref.id, userId);
    case 'community':
      return teamworkStore.isCommunityMember(tx, ref.communityId ?? '', userId);
  }
}

/**
 * The order List sections reports: the stored order, then sections it does not name yet (new system
 * sections after the user's, QuickViews always first when the user never placed it).
 */
export function effectiveOrder(stored: string, sections: readonly TeamworkSectionTable[]): string[] {
  const known = new Set(sections.map((section) => section.id));
  const kept = [...new Set(JSON.parse(stored) as string[])].filter((id) => known.has(id));
  const missing = sections.filter((section) => !kept.includes(section.id));
  const rank = (section: TeamworkSectionTable) => (section.system_name === null ? -1 : systemSectionNames.indexOf(section.system_name as never));
  missing.sort((a, b) => rank(a) - rank(b));
  const quickViews = missing.filter((section) => section.system_name === 'QuickViews').map((section) => section.id);
  const rest = missing.filter((section) => section.system_name !== 'QuickViews').map((section) => section.id);
  return [...quickViews, ...kept, ...rest];
}
