import { type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { ConversationMemberBody, conversationMemberJson, conversationMemberProperties } from '../channels/channels.schemas.ts';
import type { TeamMembersService } from './team-members.service.ts';

const memberQuery = { entityType: 'microsoft.graph.aadUserConversationMember', properties: conversationMemberProperties } as const;
const readMembers = {
  delegated: ['TeamMember.Read.All', 'TeamMember.ReadWrite.All'],
  application: ['TeamMember.Read.Group', 'TeamMember.Read.All', 'TeamMember.ReadWrite.All'],
};
const writeMembers = { delegated: ['TeamMember.ReadWrite.All'], application: ['TeamMember.ReadWrite.All'] };
const membersContext = (teamId: string) => `teams('${contextKey(teamId)}')/members`;

export function teamMemberRoutes(members: TeamMembersService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'team-member-list',
      doc: 'api-reference/v1.0/api/team-list-members.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.conversationMember)',
      forms: ['/teams/{teamId}/members'],
      permissions: readMembers,
      odata: memberQuery,
      handle: async (req) => {
        const views = await members.list(req.principal, req.params.teamId);
        return collectionResponse(req, membersContext(req.params.teamId), {
          items: views.map((view) => conversationMemberJson(req.params.teamId, view.user, view.roles)),
          after: null,
        });
      },
    }),
    defineRoute({
      operation: 'team-member-add',
      doc: 'api-reference/v1.0/api/team-post-members.md',
      method: 'POST',
      response: 'microsoft.graph.conversationMember',
      forms: ['/teams/{teamId}/members'],
      body: ConversationMemberBody,
      permissions: writeMembers,
      handle: async (req) => {
        const view = await members.add(req.principal, req.params.teamId, req.body);
        return entityResponse(
          req,
          `${membersContext(req.params.teamId)}/microsoft.graph.aadUserConversationMember`,
          conversationMemberJson(req.params.teamId, view.user, view.roles),
          201,
        );
      },
    }),
    defineRoute({
      operation: 'team-member-get',
      doc: 'api-reference/v1.0/api/team-get-members.md',
      method: 'GET',
      response: 'microsoft.graph.conversationMember',
      forms: ['/teams/{teamId}/members/{membershipId}'],
      permissions: readMembers,
      odata: memberQuery,
      handle: async (req) => {
        const view = await members.get(req.principal, req.params.teamId, req.params.membershipId);
        return entityResponse(req, membersContext(req.params.teamId), conversationMemberJson(req.params.teamId, view.user, view.roles));
      },
    }),
    defineRoute({
      operation: 'team-member-delete',
      doc: 'api-reference/v1.0/api/team-delete-members.md',
      method: 'DELETE',
      response: null,
      forms: ['/teams/{teamId}/members/{membershipId}'],
      permissions: writeMembers,
      handle: async (req) => {
        await members.remove(req.principal, req.params.teamId, req.params.membershipId);
        return { status: 204 };
      },
    }),
  ];
}
