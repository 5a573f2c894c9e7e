import Type, { type Static } from 'typebox';

// The tenant file `--seed` loads (docs/seed-file.md). Users are referred to by id or userPrincipalName.
// This is also the JSON Schema shipped as seed.schema.json: test/seed/seed-validation.test.ts fails when
// they differ, and `npm run sync:seed-schema` writes it again. What a shape cannot say is checked by
// seed.references.ts.
const Id = Type.String({ minLength: 1 });
const UserRef = Type.String({ minLength: 1, description: 'a user id or userPrincipalName' });
const Timestamp = Type.String({ format: 'date-time' });
const Roles = Type.Array(Type.Enum(['owner', 'guest']));
const RosterEntry = Type.Object({ user: UserRef, roles: Type.Optional(Roles) }, { additionalProperties: false });
const Body = Type.Union([Type.String(), Type.Object({ contentType: Type.Enum(['text', 'html']), content: Type.String() }, { additionalProperties: false })]);
const SeedMessage = Type.Object(
  {
    from: UserRef,
    body: Body,
    createdDateTime: Timestamp,
    subject: Type.Optional(Type.String()),
    replies: Type.Optional(Type.Array(Type.Object({ from: UserRef, body: Body, createdDateTime: Timestamp }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);

// A group conversation of one thread; its posts answer each other in order (docs/seed-file.md).
const SeedConversation = Type.Object(
  {
    topic: Type.String({ minLength: 1 }),
    posts: Type.Array(Type.Object({ from: UserRef, body: Body, createdDateTime: Timestamp }, { additionalProperties: false }), { minItems: 1 }),
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
            clientSecret: Type.String({ minLength: 1 }),
            tenantId: Id,
            displayName: Type.String(),
            applicationPermissions: Type.Array(Type.String(), { description: 'permission names; "*" grants every application permission' }),
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
            visibility: Type.Optional(Type.Enum(['Public', 'Private'])),
            groupTypes: Type.Array(Type.String()),
            securityEnabled: Type.Optional(Type.Boolean()),
            createdDateTime: Timestamp,
            owners: Type.Array(UserRef),
            members: Type.Array(UserRef),
            conversations: Type.Optional(Type.Array(SeedConversation)),
            team: Type.Optional(
              Type.Object(
                { internalId: Type.String({ pattern: '^19:[^@]+@thread\\.tacv2$' }), channels: Type.Array(SeedChannel) },
                { additionalProperties: false },
              ),
            ),
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
            chatType: Type.Enum(['oneOnOne', 'group']),
            topic: Type.Optional(Type.String()),
            createdBy: UserRef,
            createdDateTime: Timestamp,
            members: Type.Array(RosterEntry, { minItems: 2 }),
            messages: Type.Optional(Type.Array(SeedMessage)),
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
            sections: Type.Array(
              Type.Object(
                { id: Id, displayName: Type.String({ minLength: 1, maxLength: 50 }), createdDateTime: Timestamp, items: Type.Array(Id) },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'teamgraph seed file',
    description: 'The tenant `teamgraph --seed` loads: tenants, users, applications, groups and teams, chats, communities and teamwork sections.',
    additionalProperties: false,
  },
);

export type SeedFile = Static<typeof SeedFile>;
export type SeedMessage = Static<typeof SeedMessage>;
