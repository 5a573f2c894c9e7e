import Type from 'typebox';
import type { TeamworkSectionItemTable, TeamworkSectionTable } from '../../store/schema.ts';
import { badRequest } from '../../wire/errors.ts';

// Beta teamwork sections (api-reference/beta/resources/teamworksection.md, teamworksectionitem.md).

// Bodies are checked by the service, not the schema: Graph's pages fix the wording of each 400.
export const AnyObjectBody = Type.Record(Type.String(), Type.Unknown());

/** The six system sections every user has, in their default order (teamworksection.md). */
export const systemSectionNames = ['QuickViews', 'RecentChats', 'TeamsAndChannels', 'MeetingChats', 'MutedChats', 'EngageCommunities'] as const;
export type SystemSectionName = (typeof systemSectionNames)[number];

export const systemSectionId = (tenantId: string, userId: string, name: SystemSectionName) => `${tenantId}~${userId}~${name}`;

const sortTypes = ['mostRecent', 'unreadThenMostRecent', 'nameAlphabetical', 'userDefinedCustomOrder'] as const;
export type SortType = (typeof sortTypes)[number];

// Valid sort types per section (teamworksection-update.md, "The valid sortType values depend on the
// section type"); docs/decisions.md #62 fills in the system sections the page leaves open.
const userDefinedSortTypes: readonly SortType[] = ['mostRecent', 'unreadThenMostRecent', 'userDefinedCustomOrder'];
const systemSortTypes: Record<SystemSectionName, readonly SortType[]> = {
  QuickViews: ['nameAlphabetical', 'mostRecent', 'unreadThenMostRecent'],
  TeamsAndChannels: ['nameAlphabetical', 'mostRecent', 'unreadThenMostRecent'],
  RecentChats: ['mostRecent', 'unreadThenMostRecent'],
  MutedChats: ['mostRecent', 'unreadThenMostRecent'],
  MeetingChats: ['mostRecent', 'unreadThenMostRecent'],
  EngageCommunities: ['mostRecent', 'unreadThenMostRecent'],
};
export const defaultSystemSortType: Record<SystemSectionName, SortType> = {
  QuickViews: 'nameAlphabetical',
  TeamsAndChannels: 'nameAlphabetical',
  RecentChats: 'mostRecent',
  MutedChats: 'mostRecent',
  MeetingChats: 'mostRecent',
  EngageCommunities: 'mostRecent',
};

export function isSortTypeValid(section: Pick<TeamworkSectionTable, 'system_name'>, sortType: unknown): sortType is SortType {
  const valid = section.system_name === null ? userDefinedSortTypes : systemSortTypes[section.system_name as SystemSectionName];
  return valid.includes(sortType as SortType);
}

type ItemType = TeamworkSectionItemTable['item_type'];

/** A conversation id as the add-item page accepts it (graph-surface 1.11 and seed 000). */
export interface ConversationRef {
  readonly id: string;
  readonly itemType: ItemType;
  /** The community id as Viva Engage lists it; null for other kinds. */
  readonly communityId: string | null;
}

const bareCommunity = /^[A-Za-z0-9_-]+$/;

/**
 * Derives the item type from the id's shape and normalizes a bare community id to its thread id
 * (teamworksection-post-items.md); null when the id is no chat, channel, meeting or community.
 */
export function conversationRef(rawId: string): ConversationRef | null {
  const thread = /^19:(.+)@(thread\.v2|thread\.tacv2|thread\.skype|unq\.gbl\.spaces|EngageCommunity)$/.exec(rawId);
  if (thread === null) return isBareCommunityId(rawId) ? { id: `19:${rawId}@EngageCommunity`, itemType: 'community', communityId: rawId } : null;
  const [, key = '', suffix] = thread;
  if (suffix === 'EngageCommunity') return isBareCommunityId(key) ? { id: rawId, itemType: 'community', communityId: key } : null;
  if (suffix === 'thread.tacv2' || suffix === 'thread.skype') return { id: rawId, itemType: 'channel', communityId: null };
  return { id: rawId, itemType: key.startsWith('meeting_') ? 'meeting' : 'chat', communityId: null };
}

// A Viva Engage community id is unpadded base64 of a small JSON object, e.g. {"_type":"Group","id":"…"}.
function isBareCommunityId(value: string): boolean {
  if (!bareCommunity.test(value)) return false;
  try {
    const decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    return typeof decoded === 'object' && decoded !== null && '_type' in decoded;
  } catch {
    return false;
  }
}

/**
 * If-Match as clients send it: `"N"`, `N` or the weak `W/"N"` (graph-surface 1.9); null when it is
 * no version at all, which can match nothing.
 */
export function parseVersion(header: string): number | null {
  const inner = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header)?.[1];
  return inner === undefined ? null : Number(inner);
}

export const etagOf = (version: number) => `"${version}"`;

// Emoji names the service fills into displayIcon.displayName (userteamwork-post-sections.md examples).
const emojiNames: Record<string, string> = {
  '🚀': 'Rocket',
  '⭐': 'Star',
  '❤️': 'Red heart',
  '🔥': 'Fire',
  '📌': 'Pushpin',
  '💼': 'Briefcase',
  '🎯': 'Direct hit',
  '✅': 'Check mark button',
  '📁': 'File folder',
  '💬': 'Speech balloon',
};

interface StoredIcon {
  readonly iconType: string;
}

// A section without an icon leaves displayIcon out, and skinTone is left out, rather than null: the
// schema types both as non-nullable (docs/compatibility.md #51).
function displayIconJson(stored: string | null) {
  if (stored === null) return {};
  const icon = JSON.parse(stored) as StoredIcon;
  return { displayIcon: { iconType: icon.iconType, displayName: emojiNames[icon.iconType] ?? null, contentUrl: null } };
}

export function sectionJson(row: TeamworkSectionTable, version: number, items?: readonly TeamworkSectionItemTable[]) {
  return {
    '@odata.type': '#microsoft.graph.teamworkSection',
    '@odata.etag': etagOf(version),
    id: row.id,
    displayName: row.display_name,
    ...displayIconJson(row.display_icon),
    sectionType: row.section_type,
    sortType: row.sort_type,
    isExpanded: row.is_expanded === 1,
    isHierarchicalViewEnabled: false,
    createdDateTime: row.created_date_time,
    lastModifiedDateTime: row.last_modified_date_time,
    ...(items === undefined ? {} : { items: items.map((item) => itemJson(item, version)) }),
  };
}

export function itemJson(row: TeamworkSectionItemTable, version: number) {
  return {
    '@odata.type': '#microsoft.graph.teamworkSectionItem',
    '@odata.etag': etagOf(version),
    id: row.id,
    itemType: row.item_type,
    createdDateTime: row.created_date_time,
    lastModifiedDateTime: row.last_modified_date_time,
  };
}

export const sectionProperties = [
  'id',
  'displayName',
  'displayIcon',
  'sectionType',
  'sortType',
  'isExpanded',
  'isHierarchicalViewEnabled',
  'createdDateTime',
  'lastModifiedDateTime',
] as const;

// Reading request bodies. Graph's pages fix the wording of each 400 (userteamwork-post-sections.md,
// teamworksection-update.md), so bodies are read here rather than by a schema validator.

export interface SectionInput {
  readonly displayName?: string;
  readonly displayIcon?: StoredIcon;
  readonly isExpanded?: boolean;
  readonly sortType?: SortType;
}

const writableOnCreate = ['displayName', 'displayIcon', 'isExpanded', 'sortType'];
const readOnlyOnCreate = ['id', 'createdDateTime', 'lastModifiedDateTime', 'sectionType', 'isHierarchicalViewEnabled'];
const displayNameMax = 50;

/** Properties the client set, without OData annotations such as `@odata.type`. */
const propertiesOf = (body: Record<string, unknown>) => Object.keys(body).filter((name) => !name.startsWith('@'));

export function readCreateInput(body: Record<string, unknown>): SectionInput {
  const names = propertiesOf(body);
  if (names.some((name) => readOnlyOnCreate.includes(name))) {
    throw inputError(
      "The 'id', 'createdDateTime', 'lastModifiedDateTime', 'sectionType', or 'isHierarchicalViewEnabled' property is read-only and must not be provided when creating a section.",
    );
  }
  const unknown = names.find((name) => !writableOnCreate.includes(name));
  if (unknown !== undefined) throw inputError(`The property '${unknown}' does not exist on type 'microsoft.graph.teamworkSection'.`);
  const displayName = body.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') throw inputError("The 'displayName' property is required and must not be empty.");
  if (displayName.length > displayNameMax) throw inputError("The 'displayName' property must not exceed 50 characters.");
  assertNameFormat(displayName);
  const input = { ...readCommon(body), displayName };
  if (input.sortType !== undefined && !isSortTypeValid({ system_name: null }, input.sortType)) throw invalidSortTypeInput();
  return input;
}

export function readUpdateInput(body: Record<string, unknown>): SectionInput {
  const names = propertiesOf(body);
  if (names.length === 0) throw inputError('At least one property must be provided for update.');
  const other = names.find((name) => !writableOnCreate.includes(name));
  if (other !== undefined) {
    throw inputError(`The property '${other}' is read-only or not updatable. Only displayName, displayIcon, isExpanded, and sortType can be updated.`);
  }
  const displayName = body.displayName;
  if ('displayName' in body && (typeof displayName !== 'string' || displayName.trim() === '' || displayName.length > displayNameMax)) {
    throw inputError("The 'displayName' property must not be empty or whitespace, or must not exceed 50 characters.");
  }
  if (typeof displayName === 'string') assertNameFormat(displayName);
  return { ...readCommon(body), ...(typeof displayName === 'string' ? { displayName } : {}) };
}

function readCommon(body: Record<string, unknown>): Omit<SectionInput, 'displayName'> {
  const { displayIcon, isExpanded, sortType } = body;
  if (isExpanded !== undefined && typeof isExpanded !== 'boolean') throw inputError("The 'isExpanded' property must be a Boolean.");
  if (sortType !== undefined && (typeof sortType !== 'string' || !(sortTypes as readonly string[]).includes(sortType))) throw invalidSortTypeInput();
  return {
    ...(displayIcon === undefined ? {} : { displayIcon: readIcon(displayIcon) }),
    ...(isExpanded === undefined ? {} : { isExpanded }),
    ...(sortType === undefined ? {} : { sortType: sortType as SortType }),
  };
}

function readIcon(value: unknown): StoredIcon {
  if (typeof value !== 'object' || value === null) throw inputError("The 'displayIcon' property must be an object with an 'iconType'.");
  const icon = value as Record<string, unknown>;
  if (icon.contentUrl != null || icon.displayName != null || icon.skinTone != null || icon.iconType === 'custom') {
    throw inputError(
      "The 'displayIcon.contentUrl' property is not supported, or the 'displayIcon.displayName' or 'displayIcon.skinTone' property is read-only and must not be provided.",
    );
  }
  if (typeof icon.iconType !== 'string' || icon.iconType.trim() === '') throw inputError("The 'displayIcon' property must be an object with an 'iconType'.");
  return { iconType: icon.iconType };
}

// Control characters and surrounding whitespace are what a chat-list title cannot show (decision #64).
function assertNameFormat(displayName: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(displayName) || displayName.trim() !== displayName) {
    throw inputError('The section display name contains invalid characters or format.');
  }
}

const invalidSortTypeInput = () => inputError('The specified sort type is not valid for this section.');

const inputError = badRequest;
