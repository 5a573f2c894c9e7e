import type { ChannelTable } from '../../store/schema.ts';
import { badRequest } from '../../wire/errors.ts';
import type { ChannelCreateBody } from './channels.schemas.ts';

// The rules of channel-post.md and the channel resource page, checked before anything is read or written.

const displayNameMax = 50;
const privateMembersMax = 200;
// Characters Teams refuses in a channel name (graph-surface.md 2.2, after the Teams PowerShell docs).
const forbiddenCharacters = /[#%&*{}/\\:<>?+|'"]/;
const membershipTypes = ['standard', 'private', 'shared'] as const;

export interface ChannelPlan {
  readonly displayName: string;
  readonly membershipType: ChannelTable['membership_type'];
  /** The back-dated creation time of a channel created in migration mode, else null. */
  readonly migrationCreatedDateTime: string | null;
}

export function assertChannelName(displayName: string | undefined): asserts displayName is string {
  if (displayName === undefined || displayName.trim() === '') throw badRequest("The channel's displayName is required.");
  if ([...displayName].length > displayNameMax) throw badRequest(`The channel's displayName can be at most ${displayNameMax} characters long.`);
  if (forbiddenCharacters.test(displayName)) {
    throw badRequest(`The channel's displayName cannot contain any of these characters: # % & * { } / \\ : < > ? + | ' "`);
  }
}

export function validateCreate(body: ChannelCreateBody): ChannelPlan {
  assertChannelName(body.displayName);
  const membershipType = parseMembershipType(body.membershipType);
  const migrationCreatedDateTime = parseMigration(body, membershipType);
  const members = body.members ?? [];
  if (membershipType === 'standard' && members.length > 0) {
    throw badRequest('Members can be given only for a private or shared channel; a standard channel has the members of its team.');
  }
  if (membershipType === 'private' && members.length > privateMembersMax) {
    throw badRequest(`A private channel can be created with at most ${privateMembersMax} members.`);
  }
  const owners = members.filter((member) => (member.roles ?? []).includes('owner')).length;
  if (membershipType !== 'standard' && owners === 0) {
    throw badRequest(`A ${membershipType} channel needs an owner: give one member the roles ["owner"].`);
  }
  // A shared channel is created with exactly one owner (channel-post.md).
  if (membershipType === 'shared' && owners > 1) throw badRequest('A shared channel can be created with only one owner.');
  if (membershipType !== 'shared' && body.sharedWithTeams !== undefined) throw badRequest('sharedWithTeams applies only to a shared channel.');
  return { displayName: body.displayName, membershipType, migrationCreatedDateTime };
}

// `unknownFutureValue` is the sentinel of the evolvable enum, never a value a client may set.
function parseMembershipType(value: string | undefined): ChannelTable['membership_type'] {
  if (value === undefined) return 'standard';
  const known = membershipTypes.find((type) => type === value);
  if (known === undefined) throw badRequest(`Invalid value '${value}' for membershipType: use standard, private or shared.`);
  return known;
}

/** `@microsoft.graph.channelCreationMode: migration` with a past createdDateTime (channel-post.md example 3). */
function parseMigration(body: ChannelCreateBody, membershipType: ChannelTable['membership_type']): string | null {
  const mode = body['@microsoft.graph.channelCreationMode'];
  if (mode === undefined) {
    if (body.createdDateTime !== undefined) throw badRequest('createdDateTime can be set only when creating a channel in migration mode.');
    return null;
  }
  if (mode !== 'migration') throw badRequest(`Invalid value '${mode}' for @microsoft.graph.channelCreationMode: the only mode is migration.`);
  if (membershipType !== 'standard') throw badRequest('Only a standard channel can be created in migration mode.');
  const createdAt = body.createdDateTime === undefined ? Number.NaN : Date.parse(body.createdDateTime);
  if (Number.isNaN(createdAt)) throw badRequest('A channel created in migration mode needs a valid createdDateTime.');
  if (createdAt > Date.now()) throw badRequest('createdDateTime cannot be in the future.');
  return new Date(createdAt).toISOString();
}
