import type { GraphRequest } from '../../wire/routes.ts';
import { type GraphRoute, collectionResponse, defineRoute, entityResponse } from '../../wire/routes.ts';
import { userJson, userProperties } from './users.schemas.ts';
import { type UsersService, userFields } from './users.service.ts';

const userQuery = { entityType: 'microsoft.graph.user', properties: userProperties } as const;
const readAll = {
  delegated: ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  application: ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};

export function userRoutes(users: UsersService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'user-list',
      doc: 'api-reference/v1.0/api/user-list.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.user)',
      forms: ['/users'],
      permissions: readAll,
      // user-list.md: $top up to 999; $orderby displayName or userPrincipalName; $count only with
      // ConsistencyLevel: eventual; no $skip (directory objects page by token only).
      odata: {
        ...userQuery,
        top: { default: 100, max: 999 },
        fields: userFields,
        orderby: { displayName: 'both', userPrincipalName: 'both' },
        countNeedsEventual: true,
      },
      handle: async (req) => {
        const page = await users.list(req.principal, req.odata.list);
        return collectionResponse(req, 'users', { ...page, items: page.items.map((row) => userJson(row, isSelecting(req))) });
      },
    }),
    defineRoute({
      operation: 'user-get',
      doc: 'api-reference/v1.0/api/user-get.md',
      method: 'GET',
      response: 'microsoft.graph.user',
      forms: ['/users/{userId}', '/me'],
      permissions: { delegated: ['User.Read', ...readAll.delegated], application: readAll.application },
      odata: userQuery,
      handle: async (req) => entityResponse(req, 'users', userJson(await users.get(req.principal, req.pathUserId), isSelecting(req))),
    }),
  ];
}

const isSelecting = (req: GraphRequest<unknown, unknown>) => req.odata.select !== null;
