import type { Store } from '../../store/db.ts';
import type { TeamworkSectionItemTable, TeamworkSectionTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, badRequest, forbidden, notFound } from '../../wire/errors.ts';
import { type Mutation, type TeamworkAccess, isMemberOf, notMemberOfConversation, requireIfMatch, sectionConflict } from './teamwork.access.ts';
import { conversationRef, sectionItemsMax } from './teamwork.schemas.ts';
import { sectionNotFound } from './teamwork.service.ts';
import * as teamworkStore from './teamwork.store.ts';

const itemsLimitReached = () => badRequest('The maximum number of items in this section has been reached.');
const systemSection = (why: string) => forbidden(`This section is system-generated and cannot be modified. ${why}`);
const moveNotFound = () => notFound('The specified section was not found, or the specified item was not found in this section.');

export interface ItemView {
  readonly ownerId: string;
  readonly version: number;
  readonly item: TeamworkSectionItemTable;
}

export interface ItemsView {
  readonly ownerId: string;
  readonly version: number;
  readonly items: readonly TeamworkSectionItemTable[];
}

/** The item half of the beta sections API (teamworksection-post-items.md and its siblings). */
export class TeamworkItemsService {
  constructor(
    private readonly store: Store,
    private readonly access: TeamworkAccess,
  ) {}

  /** teamworksection-list-items.md; system sections do not expose their contents (400). */
  async list(principal: Principal, userIdOrUpn: string, sectionId: string): Promise<ItemsView> {
    const owner = await this.access.readable(principal, userIdOrUpn);
    const section = await teamworkStore.findSection(this.store.db, owner.id, sectionId);
    if (section === undefined) throw sectionNotFound();
    if (section.section_type === 'systemDefined') throw badRequest('Listing items is not supported for system-defined sections.');
    const teamwork = await teamworkStore.findTeamwork(this.store.db, owner.id);
    return { ownerId: owner.id, version: teamwork?.sections_version ?? 0, items: await teamworkStore.listItems(this.store.db, owner.id, [section.id]) };
  }

  /** Seed 000: only a conversation still in its system section may be added; one section per item. */
  async add(principal: Principal, userIdOrUpn: string, sectionId: string, ifMatch: string | undefined, conversationId: string): Promise<ItemView> {
    const header = requireIfMatch(ifMatch);
    const ref = conversationRef(conversationId);
    if (ref === null) throw badRequest('The specified item ID is not valid. Provide a valid chat, channel, meeting, or community ID.');
    return this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const section = await userSection(m.tx, m.owner.id, sectionId, sectionNotFound, 'Items can be added only to user-defined sections.');
      if (!(await isMemberOf(m.tx, ref, m.owner.id))) throw notMemberOfConversation();
      const filed = await teamworkStore.findItem(m.tx, m.owner.id, ref.id);
      if (filed?.section_id === section.id) throw sectionConflict('This item is already in this section.');
      if (filed !== undefined) {
        throw new GraphError('Conflict', 'This item is already associated with another section. Use the move API to relocate it.', [
          { code: 'conflictingSectionId', message: filed.section_id, target: filed.section_id },
        ]);
      }
      const item = await placeItem(m, section.id, ref.id, ref.itemType);
      await teamworkStore.insertItem(m.tx, item);
      return { ownerId: m.owner.id, version: m.version, item };
    });
  }

  /** teamworksectionitem-delete.md: the conversation goes back to its default system section. */
  async remove(principal: Principal, userIdOrUpn: string, sectionId: string, itemId: string, ifMatch: string | undefined): Promise<void> {
    const header = requireIfMatch(ifMatch);
    await this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const section = await userSection(m.tx, m.owner.id, sectionId, sectionNotFound, 'Items can be removed only from user-defined sections.');
      const item = await teamworkStore.findItem(m.tx, m.owner.id, itemId);
      if (item?.section_id !== section.id) throw notFound('The specified item was not found in this section.');
      await teamworkStore.deleteItem(m.tx, m.owner.id, itemId);
    });
  }

  /** teamworksectionitem-move.md: between user-defined sections only; createdDateTime becomes the move time. */
  async move(principal: Principal, userIdOrUpn: string, sectionId: string, itemId: string, ifMatch: string | undefined, targetId: string): Promise<ItemView> {
    const header = requireIfMatch(ifMatch);
    if (targetId === sectionId) throw badRequest('The source and target sections must be different.');
    const why = "Items can't be moved into or out of system-defined sections by using this action.";
    return this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const source = await userSection(m.tx, m.owner.id, sectionId, moveNotFound, why);
      const item = await teamworkStore.findItem(m.tx, m.owner.id, itemId);
      if (item?.section_id !== source.id) throw moveNotFound();
      const target = await userSection(m.tx, m.owner.id, targetId, moveNotFound, why);
      const moved = await placeItem(m, target.id, item.id, item.item_type);
      await teamworkStore.updateItem(m.tx, m.owner.id, item.id, moved);
      return { ownerId: m.owner.id, version: m.version, item: moved };
    });
  }

  /** teamworksectionitem-reorder.md: every item exactly once, in a userDefinedCustomOrder section. */
  async reorder(principal: Principal, userIdOrUpn: string, sectionId: string, ifMatch: string | undefined, wanted: readonly string[]): Promise<ItemsView> {
    const header = requireIfMatch(ifMatch);
    return this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const section = await teamworkStore.findSection(m.tx, m.owner.id, sectionId);
      if (section === undefined) throw notFound("The specified section wasn't found.");
      if (section.section_type === 'systemDefined')
        throw forbidden("This section is system-generated and can't be modified. Reorder items only in user-defined sections.");
      if (section.sort_type !== 'userDefinedCustomOrder') {
        throw sectionConflict(
          'Reordering is only supported when the section sortType is userDefinedCustomOrder. Update the section to use this sort type, then retry.',
        );
      }
      const items = new Map((await teamworkStore.listItems(m.tx, m.owner.id, [section.id])).map((item) => [item.id, item]));
      if (wanted.length !== items.size || wanted.some((id) => !items.has(id))) {
        throw badRequest("The reorder list doesn't contain every item in the section exactly once, or it contains an item ID that isn't in the section.");
      }
      const reordered = wanted.map((id, position) => ({ ...(items.get(id) as TeamworkSectionItemTable), position, last_modified_date_time: m.now }));
      for (const item of reordered) await teamworkStore.updateItem(m.tx, m.owner.id, item.id, { position: item.position, last_modified_date_time: m.now });
      return { ownerId: m.owner.id, version: m.version, items: reordered };
    });
  }
}

/** A user-defined section of the owner: `missing` when there is none, 403 for a system section. */
async function userSection(tx: Handle, userId: string, sectionId: string, missing: () => GraphError, why: string): Promise<TeamworkSectionTable> {
  const section = await teamworkStore.findSection(tx, userId, sectionId);
  if (section === undefined) throw missing();
  if (section.section_type === 'systemDefined') throw systemSection(why);
  return section;
}

/** The item as it lands at the end of a section; 400 when the section is full. */
async function placeItem(m: Mutation, sectionId: string, itemId: string, itemType: TeamworkSectionItemTable['item_type']): Promise<TeamworkSectionItemTable> {
  const { count, position } = await teamworkStore.nextItemPosition(m.tx, m.owner.id, sectionId);
  if (count >= sectionItemsMax) throw itemsLimitReached();
  return { user_id: m.owner.id, id: itemId, section_id: sectionId, item_type: itemType, position, created_date_time: m.now, last_modified_date_time: null };
}
