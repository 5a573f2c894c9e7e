import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/db.ts';
import type { TeamworkSectionItemTable, TeamworkSectionTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden, notFound } from '../../wire/errors.ts';
import { type Mutation, type TeamworkAccess, effectiveOrder, requireIfMatch, sectionConflict } from './teamwork.access.ts';
import { type SectionCreateBody, type SectionUpdateBody, type SortType, isSortTypeValid, userSectionsMax } from './teamwork.schemas.ts';
import * as teamworkStore from './teamwork.store.ts';

export const sectionNotFound = () => notFound('The specified section was not found.');
const systemSectionLocked = (why: string) => forbidden(`This section is system-generated and cannot be modified. ${why}`);

export interface SectionsView {
  readonly ownerId: string;
  readonly version: number;
  readonly order: readonly string[];
  readonly sections: readonly TeamworkSectionTable[];
  /** Items by section id when `$expand=items` asked for them; system sections expose none. */
  readonly items: ReadonlyMap<string, readonly TeamworkSectionItemTable[]> | null;
}

export interface SectionView {
  readonly ownerId: string;
  readonly version: number;
  readonly section: TeamworkSectionTable;
  readonly items: readonly TeamworkSectionItemTable[] | null;
}

/** The section half of the beta sections API (userteamwork-list-sections.md and its siblings). */
export class TeamworkService {
  constructor(
    private readonly store: Store,
    private readonly access: TeamworkAccess,
  ) {}

  async list(principal: Principal, userIdOrUpn: string, expand: string | null): Promise<SectionsView> {
    const owner = await this.access.readable(principal, userIdOrUpn);
    const db = this.store.db;
    const teamwork = await teamworkStore.findTeamwork(db, owner.id);
    const sections = await teamworkStore.listSections(db, owner.id);
    const order = effectiveOrder(teamwork?.sections_order ?? '[]', sections);
    const byId = new Map(sections.map((section) => [section.id, section]));
    const ordered = order.map((id) => byId.get(id) as TeamworkSectionTable);
    const items = expand === 'items' ? groupBySection(await teamworkStore.listItems(db, owner.id, userSectionIds(sections))) : null;
    return { ownerId: owner.id, version: teamwork?.sections_version ?? 0, order, sections: ordered, items };
  }

  async get(principal: Principal, userIdOrUpn: string, sectionId: string, expand: string | null): Promise<SectionView> {
    const owner = await this.access.readable(principal, userIdOrUpn);
    const db = this.store.db;
    const section = await teamworkStore.findSection(db, owner.id, sectionId);
    if (section === undefined) throw sectionNotFound();
    const teamwork = await teamworkStore.findTeamwork(db, owner.id);
    const items = expand === 'items' ? await teamworkStore.listItems(db, owner.id, userSectionIds([section])) : null;
    return { ownerId: owner.id, version: teamwork?.sections_version ?? 0, section, items };
  }

  async create(principal: Principal, userIdOrUpn: string, ifMatch: string | undefined, input: SectionCreateBody): Promise<SectionView> {
    const header = requireIfMatch(ifMatch);
    return this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const sections = await teamworkStore.listSections(m.tx, m.owner.id);
      if (sections.filter((section) => section.section_type === 'userDefined').length >= userSectionsMax) {
        throw badRequest('The maximum number of sections has been reached.');
      }
      assertNameFree(sections, input.displayName, null);
      const section: TeamworkSectionTable = {
        id: randomUUID(),
        user_id: m.owner.id,
        display_name: input.displayName,
        display_icon: storedIcon(input.displayIcon) ?? null,
        is_expanded: input.isExpanded === false ? 0 : 1,
        sort_type: input.sortType ?? 'userDefinedCustomOrder',
        section_type: 'userDefined',
        system_name: null,
        created_date_time: m.now,
        last_modified_date_time: m.now,
      };
      await teamworkStore.insertSection(m.tx, section);
      const order = effectiveOrder((await teamworkStore.findTeamwork(m.tx, m.owner.id))?.sections_order ?? '[]', sections);
      await teamworkStore.updateSectionsOrder(m.tx, m.owner.id, [...order, section.id]);
      return { ownerId: m.owner.id, version: m.version, section, items: null };
    });
  }

  async update(principal: Principal, userIdOrUpn: string, sectionId: string, ifMatch: string | undefined, input: SectionUpdateBody): Promise<SectionView> {
    const header = requireIfMatch(ifMatch);
    return this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const sections = await teamworkStore.listSections(m.tx, m.owner.id);
      const section = sections.find((candidate) => candidate.id === sectionId);
      if (section === undefined) throw sectionNotFound();
      const { displayName, displayIcon, isExpanded } = input;
      if (section.section_type === 'systemDefined' && [displayName, displayIcon, isExpanded].some((value) => value !== undefined)) {
        throw systemSectionLocked('Only the sortType property can be updated on system-defined sections.');
      }
      if (input.sortType !== undefined && !isSortTypeValid(section, input.sortType)) throw invalidSortType();
      if (input.displayName !== undefined) assertNameFree(sections, input.displayName, section.id);
      const changes = changesOf(input, m.now);
      await teamworkStore.updateSection(m.tx, m.owner.id, section.id, changes);
      return { ownerId: m.owner.id, version: m.version, section: { ...section, ...changes }, items: null };
    });
  }

  async delete(principal: Principal, userIdOrUpn: string, sectionId: string, ifMatch: string | undefined): Promise<void> {
    const header = requireIfMatch(ifMatch);
    await this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const section = await teamworkStore.findSection(m.tx, m.owner.id, sectionId);
      if (section === undefined) throw sectionNotFound();
      if (section.section_type === 'systemDefined') throw systemSectionLocked("System-defined sections can't be deleted.");
      await teamworkStore.deleteSection(m.tx, m.owner.id, section.id);
      await this.writeOrder(m, (order) => order.filter((id) => id !== section.id));
    });
  }

  /** teamworksection-reorder.md: every current section exactly once, QuickViews first when named. */
  async reorder(principal: Principal, userIdOrUpn: string, ifMatch: string | undefined, wanted: readonly string[]): Promise<SectionsView> {
    const header = requireIfMatch(ifMatch);
    return this.access.mutate(principal, userIdOrUpn, header, async (m) => {
      const sections = await teamworkStore.listSections(m.tx, m.owner.id);
      const byId = new Map(sections.map((section) => [section.id, section]));
      const quickViewsAt = wanted.findIndex((id) => byId.get(id)?.system_name === 'QuickViews');
      if (wanted.length !== sections.length || wanted.some((id) => !byId.has(id)) || quickViewsAt > 0) {
        throw badRequest(
          "The reorder list doesn't contain every current section exactly once, contains an unknown section ID, or doesn't place the QuickViews system section first.",
        );
      }
      await teamworkStore.updateSectionsOrder(m.tx, m.owner.id, wanted);
      return { ownerId: m.owner.id, version: m.version, order: wanted, sections: wanted.map((id) => byId.get(id) as TeamworkSectionTable), items: null };
    });
  }

  private async writeOrder(m: Mutation, change: (order: string[]) => string[]): Promise<void> {
    const teamwork = await teamworkStore.findTeamwork(m.tx, m.owner.id);
    const sections = await teamworkStore.listSections(m.tx, m.owner.id);
    await teamworkStore.updateSectionsOrder(m.tx, m.owner.id, change(effectiveOrder(teamwork?.sections_order ?? '[]', sections)));
  }
}

const invalidSortType = () => badRequest('The specified sort type is not valid for this section.');

/** Names are unique per user and compared case-sensitively; system sections hold the reserved names. */
function assertNameFree(sections: readonly TeamworkSectionTable[], displayName: string, exceptId: string | null): void {
  if (sections.some((section) => section.display_name === displayName && section.id !== exceptId)) {
    throw sectionConflict('A section with this display name already exists.');
  }
}

function changesOf(input: SectionUpdateBody, now: string): teamworkStore.SectionChanges {
  const displayIcon = storedIcon(input.displayIcon);
  return {
    ...(input.displayName === undefined ? {} : { display_name: input.displayName }),
    ...(displayIcon === undefined ? {} : { display_icon: displayIcon }),
    ...(input.isExpanded === undefined ? {} : { is_expanded: input.isExpanded ? 1 : 0 }),
    ...(input.sortType === undefined ? {} : { sort_type: input.sortType satisfies SortType }),
    last_modified_date_time: now,
  };
}

/** The icon as stored: its type alone, the service fills in the rest (decision 51). */
const storedIcon = (icon: SectionCreateBody['displayIcon']) => (icon === undefined ? undefined : JSON.stringify({ iconType: icon.iconType }));

function userSectionIds(sections: readonly TeamworkSectionTable[]): string[] {
  return sections.filter((section) => section.section_type === 'userDefined').map((section) => section.id);
}

function groupBySection(items: readonly TeamworkSectionItemTable[]): Map<string, TeamworkSectionItemTable[]> {
  const grouped = new Map<string, TeamworkSectionItemTable[]>();
  for (const item of items) grouped.set(item.section_id, [...(grouped.get(item.section_id) ?? []), item]);
  return grouped;
}
