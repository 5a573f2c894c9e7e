import Type, { type Static } from 'typebox';
import type { TeamworkSectionItemTable, TeamworkSectionTable } from '../../store/schema.ts';
import { annotationProperties } from '../../wire/validation.ts';

// Beta teamwork sections (api-reference/beta/resources/teamworksection.md, teamworksectionitem.md).

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

// Request bodies. Graph's pages fix the wording of each 400 (userteamwork-post-sections.md,
// teamworksection-update.md and the item pages), so each schema node carries its own (decision 127).

/** User-defined sections per user, and items per user-defined section; Graph leaves both unstated (decision 63). */
export const userSectionsMax = 50;
export const sectionItemsMax = 100;

const sortTypeInvalid = 'The specified sort type is not valid for this section.';
const iconMalformed = "The 'displayIcon' property must be an object with an 'iconType'.";
const iconReadOnly =
  "The 'displayIcon.contentUrl' property is not supported, or the 'displayIcon.displayName' or 'displayIcon.skinTone' property is read-only and must not be provided.";
const readOnlyOnCreate = Type.Optional(
  Type.Never({
    graphErrors: {
      '*': "The 'id', 'createdDateTime', 'lastModifiedDateTime', 'sectionType', or 'isHierarchicalViewEnabled' property is read-only and must not be provided when creating a section.",
    },
  }),
);

/** Not given, or null: what a client may send for a property the service fills in. */
const serviceFilled = (message: string) => Type.Optional(Type.Null({ graphErrors: { '*': message } }));

const DisplayIcon = Type.Object(
  {
    iconType: Type.String({ pattern: '\\S', not: { const: 'custom' }, graphErrors: { not: iconReadOnly } }),
    contentUrl: serviceFilled(iconReadOnly),
    displayName: serviceFilled(iconReadOnly),
    skinTone: serviceFilled(iconReadOnly),
  },
  { graphErrors: { '*': iconMalformed } },
);

// Control characters and surrounding whitespace are what a chat-list title cannot show (decision 64).
// The checks run in this order, each with its own wording; `allOf` stops at the first that fails.
const displayName = (wording: { empty: string; tooLong: string }) =>
  Type.String({
    graphErrors: { '*': wording.empty },
    allOf: [
      { pattern: '\\S', graphErrors: { '*': wording.empty } },
      { maxLength: 50, graphErrors: { '*': wording.tooLong } },
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
      { pattern: /^(?!\s)[^\u0000-\u001f\u007f]*(?<!\s)$/u.source, graphErrors: { '*': 'The section display name contains invalid characters or format.' } },
    ],
  });

const sortTypeOneOf = (valid: readonly SortType[]) =>
  Type.Optional(
    Type.Union(
      valid.map((sortType) => Type.Literal(sortType)),
      { graphErrors: { '*': sortTypeInvalid } },
    ),
  );

const editableProperties = {
  displayIcon: Type.Optional(DisplayIcon),
  isExpanded: Type.Optional(Type.Boolean({ graphErrors: { '*': "The 'isExpanded' property must be a Boolean." } })),
};

export const SectionCreateBody = Type.Object(
  {
    ...editableProperties,
    displayName: displayName({
      empty: "The 'displayName' property is required and must not be empty.",
      tooLong: "The 'displayName' property must not exceed 50 characters.",
    }),
    // A user-defined section sorts by one of these (teamworksection-update.md).
    sortType: sortTypeOneOf(userDefinedSortTypes),
    id: readOnlyOnCreate,
    createdDateTime: readOnlyOnCreate,
    lastModifiedDateTime: readOnlyOnCreate,
    sectionType: readOnlyOnCreate,
    isHierarchicalViewEnabled: readOnlyOnCreate,
  },
  {
    additionalProperties: false,
    patternProperties: annotationProperties,
    graphErrors: {
      required: "The 'displayName' property is required and must not be empty.",
      additionalProperties: "The property '{property}' does not exist on type 'microsoft.graph.teamworkSection'.",
    },
  },
);
export type SectionCreateBody = Static<typeof SectionCreateBody>;

const notEmptyOrTooLong = "The 'displayName' property must not be empty or whitespace, or must not exceed 50 characters.";

export const SectionUpdateBody = Type.Object(
  {
    ...editableProperties,
    displayName: Type.Optional(displayName({ empty: notEmptyOrTooLong, tooLong: notEmptyOrTooLong })),
    // Whether the sort type suits the section is the service's to decide, once it has read the section.
    sortType: sortTypeOneOf(sortTypes),
  },
  {
    additionalProperties: false,
    patternProperties: annotationProperties,
    // Annotations alone change nothing: at least one property must be named.
    not: { propertyNames: { pattern: '^@' } },
    graphErrors: {
      not: 'At least one property must be provided for update.',
      additionalProperties: "The property '{property}' is read-only or not updatable. Only displayName, displayIcon, isExpanded, and sortType can be updated.",
    },
  },
);
export type SectionUpdateBody = Static<typeof SectionUpdateBody>;

/** A reorder list: every id a non-empty string, once each, at most `max` of them. */
const idList = (max: number) => Type.Array(Type.String({ pattern: '\\S' }), { minItems: 1, maxItems: max, uniqueItems: true });
const idListWording = (property: string) => ({
  '*': `The ${property} property is missing, empty, exceeds the supported maximum, or contains null, empty, or duplicate IDs.`,
});

// The system sections come on top of the user-defined ones in a full reorder list.
export const SectionsReorderBody = Type.Object(
  { sectionsOrder: idList(userSectionsMax + systemSectionNames.length) },
  { graphErrors: idListWording('sectionsOrder') },
);
export const ItemsReorderBody = Type.Object({ itemsOrder: idList(sectionItemsMax) }, { graphErrors: idListWording('itemsOrder') });

const nonEmptyId = Type.String({ pattern: '\\S' });
const requiredWording = (property: string) => ({ '*': `The '${property}' property is required and must not be empty.` });

export const ItemAddBody = Type.Object({ id: nonEmptyId }, { graphErrors: requiredWording('id') });
export const ItemMoveBody = Type.Object({ targetSectionId: nonEmptyId }, { graphErrors: requiredWording('targetSectionId') });
