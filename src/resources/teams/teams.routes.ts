import { type GraphResponse, type GraphRoute, collectionResponse, defineRoute, entityResponse } from '../../wire/routes.ts';
import type { TeamCreateService } from './team-create.service.ts';
import { TeamCreateBody, TeamUpdateBody, joinedTeamJson, teamJson, teamProperties } from './teams.schemas.ts';
import type { TeamsService } from './teams.service.ts';

const teamQuery = { entityType: 'microsoft.graph.team', properties: teamProperties } as const;
const joinedTeamsQuery = { ...teamQuery, top: { default: 100, max: 999 } };
const joinedTeamsPermissions = [
  'Team.ReadBasic.All',
  'TeamSettings.Read.All',
  'TeamSettings.ReadWrite.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

const writeSettings = {
  delegated: ['TeamSettings.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  application: ['TeamSettings.ReadWrite.Group', 'TeamSettings.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
};

/** A 202 naming its teamsAsyncOperation in key form, with no body (team-post.md, team-archive.md). */
const accepted = (teamId: string, operationId: string, extra: Record<string, string> = {}): GraphResponse => ({
  status: 202,
  headers: { location: `/teams('${teamId}')/operations('${operationId}')`, 'content-type': 'application/json', ...extra, 'content-length': '0' },
});
// team-archive.md and team-unarchive.md answer text/plain.
const archiveHeaders = { 'content-type': 'text/plain' };

export function teamRoutes(teams: TeamsService, creation: TeamCreateService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'team-create',
      doc: 'api-reference/v1.0/api/team-post.md',
      method: 'POST',
      response: null,
      forms: ['/teams'],
      body: TeamCreateBody,
      permissions: {
        delegated: ['Team.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
        application: ['Team.Create', 'Teamwork.Migrate.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
      },
      handle: async (req) => {
        const { teamId, operationId } = await creation.create(req.principal, req.body);
        return accepted(teamId, operationId, { 'content-location': `/teams('${teamId}')` });
      },
    }),
    defineRoute({
      operation: 'team-get',
      doc: 'api-reference/v1.0/api/team-get.md',
      method: 'GET',
      response: 'microsoft.graph.team',
      forms: ['/teams/{teamId}'],
      permissions: {
        delegated: [
          'Team.ReadBasic.All',
          'TeamSettings.Read.All',
          'TeamSettings.ReadWrite.All',
          'Group.Read.All',
          'Group.ReadWrite.All',
          'Directory.Read.All',
          'Directory.ReadWrite.All',
        ],
        application: [
          'TeamSettings.Read.Group',
          'TeamSettings.ReadWrite.Group',
          'Team.ReadBasic.All',
          'TeamSettings.Read.All',
          'TeamSettings.ReadWrite.All',
          'Group.Read.All',
          'Group.ReadWrite.All',
          'Directory.Read.All',
          'Directory.ReadWrite.All',
        ],
      },
      odata: teamQuery,
      handle: async (req) => entityResponse(req, 'teams', teamJson(await teams.get(req.principal, req.params.teamId))),
    }),
    defineRoute({
      operation: 'team-update',
      doc: 'api-reference/v1.0/api/team-update.md',
      method: 'PATCH',
      response: null,
      forms: ['/teams/{teamId}'],
      body: TeamUpdateBody,
      permissions: writeSettings,
      handle: async (req) => {
        await teams.update(req.principal, req.params.teamId, req.body);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'team-archive',
      doc: 'api-reference/v1.0/api/team-archive.md',
      method: 'POST',
      response: null,
      forms: ['/teams/{teamId}/archive'],
      permissions: writeSettings,
      handle: async (req) => {
        const { teamId, operationId } = await teams.setArchived(req.principal, req.params.teamId, true);
        return accepted(teamId, operationId, archiveHeaders);
      },
    }),
    defineRoute({
      operation: 'team-unarchive',
      doc: 'api-reference/v1.0/api/team-unarchive.md',
      method: 'POST',
      response: null,
      forms: ['/teams/{teamId}/unarchive'],
      permissions: writeSettings,
      handle: async (req) => {
        const { teamId, operationId } = await teams.setArchived(req.principal, req.params.teamId, false);
        return accepted(teamId, operationId, archiveHeaders);
      },
    }),
    defineRoute({
      operation: 'joined-team-list',
      doc: 'api-reference/v1.0/api/user-list-joinedteams.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.team)',
      forms: ['/me/joinedTeams', '/users/{userId}/joinedTeams'],
      permissions: { delegated: joinedTeamsPermissions, application: joinedTeamsPermissions },
      odata: joinedTeamsQuery,
      handle: async (req) => {
        const page = await teams.listJoined(req.principal, req.pathUserId, req.odata.list);
        return collectionResponse(req, 'teams', { ...page, items: page.items.map(joinedTeamJson) });
      },
    }),
  ];
}
