import { VersionMismatch } from '../../store/errors.ts';
import type { TeamworkSectionItemTable, TeamworkSectionTable, UserTeamworkTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

export function findTeamwork(h: Handle, userId: string): Promise<UserTeamworkTable | undefined> {
  return h.selectFrom('user_teamwork').select(allOf('user_teamwork')).where('user_id', '=', userId).executeTakeFirst();
}

export async function countSystemSections(h: Handle, userId: string): Promise<number> {
  const row = await h
    .selectFrom('teamwork_sections')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('section_type', '=', 'systemDefined')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Inserts what is missing and leaves the rest: two instances provisioning one user both succeed. */
export async function insertTeamworkIfMissing(h: Handle, teamwork: UserTeamworkTable, systemSections: readonly TeamworkSectionTable[]): Promise<void> {
  await h
    .insertInto('user_teamwork')
    .values(teamwork)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await h
    .insertInto('teamwork_sections')
    .values([...systemSections])
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * The compare-and-set behind every If-Match write: advances the user's version only if it still
 * equals `expected`. The row lock it takes (PostgreSQL) or the write lock (SQLite) serializes writers,
 * so of two requests holding the same version exactly one wins.
 */
export async function bumpSectionsVersion(h: Handle, userId: string, expected: number, step: number): Promise<number> {
  const result = await h
    .updateTable('user_teamwork')
    .set({ sections_version: expected + step })
    .where('user_id', '=', userId)
    .where('sections_version', '=', expected)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return expected + step;
  const current = await findTeamwork(h, userId);
  throw new VersionMismatch(current?.sections_version ?? 0);
}

export async function updateSectionsOrder(h: Handle, userId: string, order: readonly string[]): Promise<void> {
  await h
    .updateTable('user_teamwork')
    .set({ sections_order: JSON.stringify(order) })
    .where('user_id', '=', userId)
    .execute();
}

export function listSections(h: Handle, userId: string): Promise<TeamworkSectionTable[]> {
  return h
    .selectFrom('teamwork_sections')
    .select(allOf('teamwork_sections'))
    .where('user_id', '=', userId)
    .orderBy('created_date_time')
    .orderBy('id')
    .execute();
}

export function findSection(h: Handle, userId: string, sectionId: string): Promise<TeamworkSectionTable | undefined> {
  return h.selectFrom('teamwork_sections').select(allOf('teamwork_sections')).where('user_id', '=', userId).where('id', '=', sectionId).executeTakeFirst();
}

export async function insertSection(h: Handle, section: TeamworkSectionTable): Promise<void> {
  await h.insertInto('teamwork_sections').values(section).execute();
}

export type SectionChanges = Partial<Pick<TeamworkSectionTable, 'display_name' | 'display_icon' | 'is_expanded' | 'sort_type' | 'last_modified_date_time'>>;

export async function updateSection(h: Handle, userId: string, sectionId: string, changes: SectionChanges): Promise<void> {
  await h.updateTable('teamwork_sections').set(changes).where('user_id', '=', userId).where('id', '=', sectionId).execute();
}

/**
 * Deleting a section returns its items to their default system sections: their rows simply go, with
 * the section, by its foreign key.
 */
export async function deleteSection(h: Handle, userId: string, sectionId: string): Promise<void> {
  await h.deleteFrom('teamwork_sections').where('user_id', '=', userId).where('id', '=', sectionId).execute();
}

export function listItems(h: Handle, userId: string, sectionIds: readonly string[]): Promise<TeamworkSectionItemTable[]> {
  if (sectionIds.length === 0) return Promise.resolve([]);
  return h
    .selectFrom('teamwork_section_items')
    .select(allOf('teamwork_section_items'))
    .where('user_id', '=', userId)
    .where('section_id', 'in', sectionIds)
    .orderBy('section_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** The user-defined section an item is filed in, if any; an item is in at most one. */
export function findItem(h: Handle, userId: string, itemId: string): Promise<TeamworkSectionItemTable | undefined> {
  return h
    .selectFrom('teamwork_section_items')
    .select(allOf('teamwork_section_items'))
    .where('user_id', '=', userId)
    .where('id', '=', itemId)
    .executeTakeFirst();
}

export async function nextItemPosition(h: Handle, userId: string, sectionId: string): Promise<{ count: number; position: number }> {
  const row = await h
    .selectFrom('teamwork_section_items')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max<number | null>('position').as('last')])
    .where('user_id', '=', userId)
    .where('section_id', '=', sectionId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), position: row.last === null ? 0 : Number(row.last) + 1 };
}

export async function insertItem(h: Handle, item: TeamworkSectionItemTable): Promise<void> {
  await h.insertInto('teamwork_section_items').values(item).execute();
}

export async function deleteItem(h: Handle, userId: string, itemId: string): Promise<void> {
  await h.deleteFrom('teamwork_section_items').where('user_id', '=', userId).where('id', '=', itemId).execute();
}

export async function updateItem(h: Handle, userId: string, itemId: string, changes: Partial<Omit<TeamworkSectionItemTable, 'user_id' | 'id'>>): Promise<void> {
  await h.updateTable('teamwork_section_items').set(changes).where('user_id', '=', userId).where('id', '=', itemId).execute();
}

// Membership of the conversations an item may point at: read-only looks at the chats, channels and
// Viva Engage tables, whose own services belong to other families.

export async function isChatMember(h: Handle, chatId: string, userId: string): Promise<boolean> {
  const row = await h.selectFrom('chat_members').select('chat_id').where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Standard channels are open to every member of the team; private and shared ones list members. */
export async function isChannelMember(h: Handle, channelId: string, userId: string): Promise<boolean> {
  const channel = await h.selectFrom('channels').select(['team_id', 'membership_type']).where('id', '=', channelId).executeTakeFirst();
  if (channel === undefined) return false;
  const row =
    channel.membership_type === 'standard'
      ? await h.selectFrom('group_members').select('user_id').where('group_id', '=', channel.team_id).where('user_id', '=', userId).executeTakeFirst()
      : await h.selectFrom('channel_members').select('user_id').where('channel_id', '=', channelId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function isCommunityMember(h: Handle, communityId: string, userId: string): Promise<boolean> {
  const row = await h
    .selectFrom('engage_community_members')
    .select('user_id')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
