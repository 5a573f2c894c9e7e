import type { TeamTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { boundKey } from '../../wire/binds.ts';
import { badRequest, forbidden, notFound } from '../../wire/errors.ts';
import type { TeamCreateBody, TeamSettings, TeamSettingsBody } from './teams.schemas.ts';

// The rules of team-post.md and team-update.md, checked before anything is read or written.

// Graph keeps an archived team read-only (team-archive.md): writes answer 403 until it is unarchived.
export const teamArchived = (teamId: string) => forbidden(`Team ${teamId} is archived and read-only; unarchive it first.`);

/** A private team is hidden from delegated callers outside it, tenant admins apart (decision 10). */
export function hiddenUnlessAdmin(principal: Principal, team: TeamTable, role: 'owner' | 'member' | null): boolean {
  return team.visibility === 'private' && principal.userId !== null && role === null;
}

export const privateTeamHidden = (teamId: string) => forbidden(`The caller is not a member of the private team ${teamId}.`);

/** Graph's wording for a missing team (microsoft-graph-docs#8134). */
export const teamNotFound = (teamId: string) => notFound(`No team found with Group Id ${teamId}`);

const teamDisplayNameMax = 256;
const giphyContentRatings = ['strict', 'moderate'];
const standardTemplate = /\/teamsTemplates\('standard'\)$/i;

export function assertTeamName(displayName: string | undefined): asserts displayName is string {
  if (displayName === undefined || displayName.trim() === '') throw badRequest("The team's displayName is required.");
  if ([...displayName].length > teamDisplayNameMax) throw badRequest(`The team's displayName can be at most ${teamDisplayNameMax} characters long.`);
}

/** teamVisibilityType is written `Private` in team-post.md's examples and `private` in responses. */
export function parseVisibility(value: string | undefined, fallback: TeamTable['visibility']): TeamTable['visibility'] {
  if (value === undefined) return fallback;
  const visibility = value.toLowerCase();
  if (visibility === 'public' || visibility === 'private') return visibility;
  throw badRequest(`Invalid value '${value}' for visibility: use public or private.`);
}

/** The stored settings with the request's changes merged in, one object at a time. */
export function mergeSettings(current: TeamSettings, body: TeamSettingsBody): TeamSettings {
  const rating = body.funSettings?.giphyContentRating;
  if (rating !== undefined && !giphyContentRatings.includes(rating.toLowerCase())) {
    throw badRequest(`Invalid value '${rating}' for giphyContentRating: use strict or moderate.`);
  }
  // The schema admits only the flags Graph defines, so every value present is a boolean.
  return {
    memberSettings: { ...current.memberSettings, ...body.memberSettings },
    guestSettings: { ...current.guestSettings, ...body.guestSettings },
    messagingSettings: { ...current.messagingSettings, ...body.messagingSettings },
    funSettings: { ...current.funSettings, ...body.funSettings, ...(rating === undefined ? {} : { giphyContentRating: rating.toLowerCase() }) },
  } as TeamSettings;
}

/** The group to teamify, or null for a new group; only the standard template is served. */
export function validateCreate(body: TeamCreateBody): { groupId: string | null } {
  const template = body['template@odata.bind'];
  if (template === undefined) throw badRequest("'template@odata.bind' is required, e.g. https://graph.microsoft.com/v1.0/teamsTemplates('standard').");
  if (!standardTemplate.test(template)) throw badRequest(`Template '${template}' is not available: teamgraph serves teamsTemplates('standard').`);
  const bind = body['group@odata.bind'];
  if (bind === undefined) {
    assertTeamName(body.displayName);
    return { groupId: null };
  }
  const groupId = boundKey('groups', bind);
  if (groupId === null) throw badRequest("'group@odata.bind' must name a group, e.g. https://graph.microsoft.com/v1.0/groups('{id}').");
  // A team made from a group inherits these from it (team-post.md example 4).
  for (const name of ['displayName', 'visibility', 'specialization', 'members'] as const) {
    if (body[name] !== undefined) throw badRequest(`'${name}' cannot be given with 'group@odata.bind': the team inherits it from the group.`);
  }
  return { groupId };
}
