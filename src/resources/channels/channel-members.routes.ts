import Type from 'typebox';
import { type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import type { ChannelMembersService } from './channel-members.service.ts';
import { ConversationMemberBody, conversationMemberJson, conversationMemberProperties } from './channels.schemas.ts';

const memberQuery = { entityType: 'microsoft.graph.aadUserConversationMember', properties: conversationMemberProperties } as const;
const writeMembers = { delegated: ['ChannelMember.ReadWrite.All'], application: ['ChannelMember.ReadWrite.All'] };
const readMembers = {
  delegated: ['Group.Read.All', 'ChannelMember.Read.All', 'ChannelMember.ReadWrite.All', 'Group.ReadWrite.All'],
  application: ['ChannelMember.Read.Group', 'ChannelMember.Read.All', 'ChannelMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'],
};
const membersContext = (teamId: string, channelId: string) => `teams('${contextKey(teamId)}')/channels('${contextKey(channelId)}')/members`;

export function channelMemberRoutes(members: ChannelMembersService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'channel-member-list',
      doc: 'api-reference/v1.0/api/channel-list-members.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.conversationMember)',
      forms: ['/teams/{teamId}/channels/{channelId}/members'],
      permissions: readMembers,
      odata: memberQuery,
      handle: async (req) => {
        const views = await members.list(req.principal, req.params.teamId, req.params.channelId);
        const items = views.map((view) => conversationMemberJson(req.params.channelId, view.user, view.roles));
        return collectionResponse(req, membersContext(req.params.teamId, req.params.channelId), { items, after: null });
      },
    }),
    defineRoute({
      operation: 'channel-member-add',
      doc: 'api-reference/v1.0/api/channel-post-members.md',
      method: 'POST',
      response: 'microsoft.graph.conversationMember',
      forms: ['/teams/{teamId}/channels/{channelId}/members'],
      body: ConversationMemberBody,
      permissions: writeMembers,
      handle: async (req) => {
        const view = await members.add(req.principal, req.params.teamId, req.params.channelId, req.body);
        const context = `${membersContext(req.params.teamId, req.params.channelId)}/microsoft.graph.aadUserConversationMember`;
        return entityResponse(req, context, conversationMemberJson(req.params.channelId, view.user, view.roles), 201);
      },
    }),
    defineRoute({
      operation: 'channel-member-get',
      doc: 'api-reference/v1.0/api/channel-get-members.md',
      method: 'GET',
      response: 'microsoft.graph.conversationMember',
      forms: ['/teams/{teamId}/channels/{channelId}/members/{membershipId}'],
      permissions: readMembers,
      odata: memberQuery,
      handle: async (req) => {
        const view = await members.get(req.principal, req.params.teamId, req.params.channelId, req.params.membershipId);
        return entityResponse(
          req,
          membersContext(req.params.teamId, req.params.channelId),
          conversationMemberJson(req.params.channelId, view.user, view.roles),
        );
      },
    }),
    defineRoute({
      operation: 'channel-member-update',
      doc: 'api-reference/v1.0/api/channel-update-members.md',
      method: 'PATCH',
      response: 'microsoft.graph.conversationMember',
      forms: ['/teams/{teamId}/channels/{channelId}/members/{membershipId}'],
      body: Type.Object({ '@odata.type': Type.Optional(Type.String()), roles: Type.Array(Type.String()) }),
      permissions: writeMembers,
      handle: async (req) => {
        const view = await members.updateRoles(req.principal, req.params.teamId, req.params.channelId, req.params.membershipId, req.body.roles);
        return entityResponse(
          req,
          membersContext(req.params.teamId, req.params.channelId),
          conversationMemberJson(req.params.channelId, view.user, view.roles),
        );
      },
    }),
    defineRoute({
      operation: 'channel-member-delete',
      doc: 'api-reference/v1.0/api/channel-delete-members.md',
      method: 'DELETE',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}/members/{membershipId}'],
      permissions: writeMembers,
      handle: async (req) => {
        await members.remove(req.principal, req.params.teamId, req.params.channelId, req.params.membershipId);
        return { status: 204 };
      },
    }),
  ];
}
