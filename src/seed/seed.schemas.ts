import Type, { type Static } from 'typebox';

// The tenant file `--seed` loads (docs/seed-file.md). Users are referred to by id or userPrincipalName.
// The fields a hand-written seed needs come first in each object; the optional ones after them carry
// what the API can change, so that `teamgraph export` writes a seed that loads back to the same state.
// This is also the JSON Schema shipped as seed.schema.json: test/seed/seed-validation.test.ts fails when
// they differ, and `npm run sync:seed-schema` writes it again. What a shape cannot say is checked by
// seed.references.ts.
const Id = Type.String({ minLength: 1 });
const UserRef = Type.String({ minLength: 1, description: 'a user id or userPrincipalName' });
const Timestamp = Type.String({ format: 'date-time' });
const Roles = Type.Array(Type.Enum(['owner', 'guest']));
const Flag = Type.Boolean();
const Json = Type.Array(Type.Unknown());
const RosterEntry = Type.Object(
  {
    user: UserRef,
    roles: Type.Optional(Roles),
    createdDateTime: Type.Optional(Timestamp),
    // A chat member's: the tenant it was added from, and the history it sees.
    tenantId: Type.Optional(Id),
    visibleHistoryStartDateTime: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
const Body = Type.Union([Type.String(), Type.Object({ contentType: Type.Enum(['text', 'html']), content: Type.String() }, { additionalProperties: false })]);
const messageFields = {
  /** Absent for a message an application sent. */
  from: Type.Optional(UserRef),
  body: Body,
  createdDateTime: Timestamp,
  subject: Type.Optional(Type.String()),
  id: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'default: createdDateTime in epoch milliseconds' })),
  fromAppId: Type.Optional(Id),
  messageType: Type.Optional(Type.String({ minLength: 1 })),
  importance: Type.Optional(Type.Enum(['normal', 'high', 'urgent'])),
  attachments: Type.Optional(Json),
  mentions: Type.Optional(Json),
  reactions: Type.Optional(Json),
  lastModifiedDateTime: Type.Optional(Timestamp),
  lastEditedDateTime: Type.Optional(Timestamp),
  deletedDateTime: Type.Optional(Timestamp),
};
const SeedReply = Type.Object(messageFields, { additionalProperties: false });
const SeedMessage = Type.Object({ ...messageFields, replies: Type.Optional(Type.Array(SeedReply)) }, { additionalProperties: false });

const Recipient = Type.Object(
  { emailAddress: Type.Object({ name: Type.Optional(Type.String()), address: Type.String() }, { additionalProperties: false }) },
  { additionalProperties: false },
);
// A post answers the one before it in its thread unless `inReplyToId` says otherwise (null: none).
const SeedPost = Type.Object(
  {
    from: Type.Union([UserRef, Recipient]),
    body: Body,
    createdDateTime: Timestamp,
    id: Type.Optional(Id),
    inReplyToId: Type.Optional(Type.Union([Id, Type.Null()])),
    newParticipants: Type.Optional(Type.Array(Recipient)),
    categories: Type.Optional(Type.Array(Type.String())),
    changeKey: Type.Optional(Type.String()),
    lastModifiedDateTime: Type.Optional(Timestamp),
    receivedDateTime: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
const SeedThread = Type.Object(
  {
    id: Id,
    topic: Type.String({ minLength: 1 }),
    toRecipients: Type.Optional(Type.Array(Recipient)),
    ccRecipients: Type.Optional(Type.Array(Recipient)),
    isLocked: Type.Optional(Flag),
    posts: Type.Array(SeedPost, { minItems: 1 }),
  },
  { additionalProperties: false },
);

// A group conversation: `posts` is one thread, every post answering the one before (docs/seed-file.md);
// `threads` are several. A conversation with neither keeps the summary it was created with.
const SeedConversation = Type.Object(
  {
    topic: Type.String({ minLength: 1 }),
    posts: Type.Optional(Type.Array(SeedPost, { minItems: 1 })),
    id: Type.Optional(Id),
    threads: Type.Optional(Type.Array(SeedThread)),
    hasAttachments: Type.Optional(Flag),
    lastDeliveredDateTime: Type.Optional(Timestamp),
    preview: Type.Optional(Type.String()),
    uniqueSenders: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type SeedConversation = Static<typeof SeedConversation>;

const SeedChannel = Type.Object(
  {
    id: Type.String({ pattern: '^19:[^@]+@thread\\.(tacv2|skype)$' }),
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    description: Type.Optional(Type.String()),
    membershipType: Type.Optional(Type.Enum(['standard', 'private', 'shared'])),
    createdDateTime: Timestamp,
    members: Type.Optional(Type.Array(RosterEntry)),
    messages: Type.Optional(Type.Array(SeedMessage)),
    layoutType: Type.Optional(Type.Enum(['post', 'chat'])),
    isFavoriteByDefault: Type.Optional(Type.Union([Flag, Type.Null()])),
    isArchived: Type.Optional(Flag),
    email: Type.Optional(Type.String()),
    migrationMode: Type.Optional(Type.Enum(['inProgress', 'completed'])),
    originalCreatedDateTime: Type.Optional(Timestamp),
    sharedWithTeams: Type.Optional(
      Type.Array(Type.Object({ teamId: Id, isHostTeam: Flag, createdDateTime: Timestamp }, { additionalProperties: false }), {
        description: 'a shared channel: its host team and the teams it is shared with',
      }),
    ),
  },
  { additionalProperties: false },
);

const SeedTeam = Type.Object(
  {
    internalId: Type.String({ pattern: '^19:[^@]+@thread\\.tacv2$' }),
    channels: Type.Array(SeedChannel),
    // Default: the group's name, description, visibility and creation time.
    displayName: Type.Optional(Type.String()),
    description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    visibility: Type.Optional(Type.Enum(['public', 'private'])),
    createdDateTime: Type.Optional(Timestamp),
    specialization: Type.Optional(Type.String()),
    classification: Type.Optional(Type.String()),
    isArchived: Type.Optional(Flag),
    settings: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'the team settings objects (memberSettings, …); default: Graph defaults' }),
    ),
  },
  { additionalProperties: false },
);

const SeedSection = Type.Object(
  {
    id: Id,
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    createdDateTime: Timestamp,
    items: Type.Array(
      Type.Union([
        Id,
        Type.Object(
          {
            id: Id,
            itemType: Type.Optional(Type.Enum(['chat', 'channel', 'meeting', 'community'])),
            position: Type.Optional(Type.Integer()),
            createdDateTime: Type.Optional(Timestamp),
            lastModifiedDateTime: Type.Optional(Timestamp),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    displayIcon: Type.Optional(Type.String()),
    isExpanded: Type.Optional(Flag),
    sortType: Type.Optional(Type.String()),
    sectionType: Type.Optional(Type.Enum(['userDefined', 'systemDefined'])),
    systemName: Type.Optional(Type.String()),
    lastModifiedDateTime: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

// A teamsAsyncOperation, as the operations table keeps it: one still running runs on after the load.
const SeedOperation = Type.Object(
  {
    id: Id,
    tenantId: Id,
    parentKind: Type.Enum(['team', 'chat']),
    parentId: Id,
    operationType: Type.String({ minLength: 1 }),
    status: Type.Enum(['notStarted', 'inProgress', 'succeeded', 'failed']),
    targetResourceId: Type.Optional(Type.String()),
    targetResourceLocation: Type.Optional(Type.String()),
    payload: Type.Unknown(),
    error: Type.Optional(Type.Unknown()),
    attemptsCount: Type.Integer({ minimum: 0 }),
    createdDateTime: Timestamp,
    lastActionDateTime: Timestamp,
    runAfter: Timestamp,
  },
  { additionalProperties: false },
);

export const SeedFile = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'the JSON Schema editors check this file against (seed.schema.json); ignored when loading' })),
    defaultUser: Type.Optional(UserRef),
    tenants: Type.Array(Type.Object({ id: Id, displayName: Type.String(), domain: Type.String() }, { additionalProperties: false }), { minItems: 1 }),
    applications: Type.Optional(
      Type.Array(
        Type.Object(
          {
            clientId: Id,
            clientSecret: Type.Optional(Type.String({ minLength: 1 })),
            tenantId: Id,
            displayName: Type.String(),
            applicationPermissions: Type.Array(Type.String(), { description: 'permission names; "*" grants every application permission' }),
            clientSecretHash: Type.Optional(
              Type.String({ minLength: 1, description: 'the stored hash, as `teamgraph export` writes it, when clientSecret is not given' }),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    users: Type.Array(
      Type.Object(
        {
          id: Id,
          tenantId: Id,
          userPrincipalName: Type.String({ minLength: 3 }),
          displayName: Type.String(),
          givenName: Type.Optional(Type.String()),
          surname: Type.Optional(Type.String()),
          jobTitle: Type.Optional(Type.String()),
          officeLocation: Type.Optional(Type.String()),
          mail: Type.Optional(Type.String()),
          userType: Type.Optional(Type.Enum(['Member', 'Guest'])),
          isAdmin: Type.Optional(Type.Boolean()),
          password: Type.Optional(Type.String({ minLength: 1 })),
          createdDateTime: Type.Optional(Timestamp),
          passwordHash: Type.Optional(
            Type.String({ minLength: 1, description: 'the stored hash, as `teamgraph export` writes it, when password is not given' }),
          ),
          preferredLanguage: Type.Optional(Type.String()),
          mobilePhone: Type.Optional(Type.String()),
          businessPhones: Type.Optional(Type.Array(Type.String())),
          accountEnabled: Type.Optional(Flag),
        },
        { additionalProperties: false },
      ),
    ),
    groups: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Id,
            tenantId: Id,
            displayName: Type.String(),
            description: Type.Optional(Type.String()),
            mailNickname: Type.String(),
            visibility: Type.Optional(Type.Enum(['Public', 'Private', 'HiddenMembership'])),
            groupTypes: Type.Array(Type.String()),
            securityEnabled: Type.Optional(Type.Boolean()),
            createdDateTime: Timestamp,
            owners: Type.Array(UserRef),
            members: Type.Array(UserRef),
            conversations: Type.Optional(Type.Array(SeedConversation)),
            team: Type.Optional(SeedTeam),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    chats: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ pattern: '^19:[^@]+@(thread\\.v2|unq\\.gbl\\.spaces)$' }),
            tenantId: Id,
            chatType: Type.Enum(['oneOnOne', 'group', 'meeting']),
            topic: Type.Optional(Type.String()),
            /** Absent for a chat an application created. */
            createdBy: Type.Optional(UserRef),
            createdDateTime: Timestamp,
            // Members leave a group chat: an exported one may have fewer than the two it started with.
            members: Type.Array(RosterEntry),
            messages: Type.Optional(Type.Array(SeedMessage)),
            createdByAppId: Type.Optional(Id),
            isHiddenForAllMembers: Type.Optional(Flag),
            migrationMode: Type.Optional(Type.Enum(['inProgress', 'completed'])),
            originalCreatedDateTime: Type.Optional(Timestamp),
            lastUpdatedDateTime: Type.Optional(Timestamp),
            installedApps: Type.Optional(
              Type.Array(
                Type.Object(
                  { id: Id, teamsAppId: Id, consentedPermissionSet: Type.Optional(Type.Unknown()), createdDateTime: Timestamp },
                  { additionalProperties: false },
                ),
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    communities: Type.Optional(
      Type.Array(Type.Object({ id: Id, tenantId: Id, displayName: Type.String(), members: Type.Array(UserRef) }, { additionalProperties: false })),
    ),
    teamwork: Type.Optional(
      Type.Array(
        Type.Object(
          {
            user: UserRef,
            sectionsVersion: Type.Integer({ minimum: 0 }),
            sections: Type.Array(SeedSection, { description: 'in the order the user sees them' }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    operations: Type.Optional(Type.Array(SeedOperation)),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'teamgraph seed file',
    description: 'The tenant `teamgraph --seed` loads: tenants, users, applications, groups and teams, chats, communities, teamwork sections and operations.',
    additionalProperties: false,
  },
);

export type SeedFile = Static<typeof SeedFile>;
export type SeedMessage = Static<typeof SeedMessage>;
export type SeedReply = Static<typeof SeedReply>;
export type SeedPost = Static<typeof SeedPost>;
export type SeedThread = Static<typeof SeedThread>;
