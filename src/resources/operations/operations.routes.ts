import type { Principal } from '../../wire/auth.ts';
import { GraphError } from '../../wire/errors.ts';
import { includesUnknownEnumMembers } from '../../wire/prefer.ts';
import { type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import type { ChatsService } from '../chats/chats.service.ts';
import type { TeamsService } from '../teams/teams.service.ts';
import { operationJson, operationProperties } from './operations.schemas.ts';
import type { OperationsService } from './operations.service.ts';

const operationQuery = { entityType: 'microsoft.graph.teamsAsyncOperation', properties: operationProperties } as const;

// Chat operations are beta only; their readers are the chat readers plus RSC (teamsasyncoperation-get.md).
const chatOperationPermissions = {
  delegated: ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: ['ChatSettings.Read.Chat', 'ChatSettings.ReadWrite.Chat', 'Chat.Manage.Chat', 'Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'],
};

export function operationRoutes(operations: OperationsService, teams: TeamsService, chats: ChatsService): GraphRoute[] {
  return [
    defineRoute({
      // The poll target of POST /teams and of shared-channel creation (api-reference/v1.0/api/team-post.md).
      operation: 'team-operation-get',
      doc: 'api-reference/v1.0/resources/teamsasyncoperation.md',
      method: 'GET',
      response: 'microsoft.graph.teamsAsyncOperation',
      forms: ['/teams/{teamId}/operations/{operationId}'],
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
          'Team.ReadBasic.All',
          'TeamSettings.Read.All',
          'TeamSettings.ReadWrite.All',
          'Group.Read.All',
          'Group.ReadWrite.All',
          'Directory.Read.All',
          'Directory.ReadWrite.All',
        ],
      },
      odata: operationQuery,
      handle: async (req) => {
        const operation = await teamOperation(req.principal, teams, operations, req.params.teamId, req.params.operationId);
        return entityResponse(req, `teams('${contextKey(operation.parent_id)}')/operations`, operationJson(operation, includesUnknownEnumMembers(req.headers)));
      },
    }),
    defineRoute({
      // The poll target of POST /chats with installedApps (api-reference/beta/api/teamsasyncoperation-get.md).
      operation: 'chat-operation-get',
      doc: 'api-reference/beta/api/teamsasyncoperation-get.md',
      method: 'GET',
      response: 'microsoft.graph.teamsAsyncOperation',
      forms: ['/chats/{chatId}/operations/{operationId}'],
      versions: ['beta'],
      permissions: chatOperationPermissions,
      odata: operationQuery,
      handle: async (req) => {
        const { chat } = await chats.get(req.principal, req.params.chatId);
        const operation = await operations.get(req.principal.tenantId, 'chat', chat.id, req.params.operationId);
        return entityResponse(req, `chats('${contextKey(chat.id)}')/operations`, operationJson(operation, includesUnknownEnumMembers(req.headers)));
      },
    }),
    defineRoute({
      operation: 'chat-operation-list',
      doc: 'api-reference/beta/api/chat-list-operations.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.teamsAsyncOperation)',
      forms: ['/chats/{chatId}/operations'],
      versions: ['beta'],
      permissions: chatOperationPermissions,
      odata: operationQuery,
      handle: async (req) => {
        const { chat } = await chats.get(req.principal, req.params.chatId);
        const rows = await operations.list('chat', chat.id);
        const isUnmasked = includesUnknownEnumMembers(req.headers);
        return collectionResponse(req, `chats('${contextKey(chat.id)}')/operations`, { items: rows.map((row) => operationJson(row, isUnmasked)), after: null });
      },
    }),
  ];
}

/** Until its createTeam operation succeeds a new team does not exist, yet its operation is polled under it (team-post.md). */
async function teamOperation(
  principal: Principal,
  teams: TeamsService,
  operations: OperationsService,
  teamId: string,
  operationId: string,
): ReturnType<OperationsService['get']> {
  try {
    const team = await teams.get(principal, teamId);
    return await operations.get(principal.tenantId, 'team', team.id, operationId);
  } catch (err) {
    if (!(err instanceof GraphError) || err.code !== 'NotFound') throw err;
    const operation = await operations.get(principal.tenantId, 'team', teamId, operationId).catch(() => undefined);
    if (operation?.operation_type !== 'createTeam') throw err;
    // The worker may have created the team between the two reads; then the team's own access rules apply.
    if (operation.status === 'succeeded') await teams.get(principal, teamId);
    return operation;
  }
}
