import { type GraphRoute, collectionResponse, defineRoute, entityResponse } from '../../wire/routes.ts';
import { groupJson, groupProperties } from './groups.schemas.ts';
import { type GroupsService, groupFields } from './groups.service.ts';

const groupQuery = { entityType: 'microsoft.graph.group', properties: groupProperties } as const;
const readAll = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

export function groupRoutes(groups: GroupsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'group-list',
      doc: 'api-reference/v1.0/api/group-list.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.group)',
      forms: ['/groups'],
      permissions: { delegated: readAll, application: readAll },
      // group-list.md: $top up to 999; $orderby displayName; $count only with ConsistencyLevel:
      // eventual; no $skip.
      odata: { ...groupQuery, top: { default: 100, max: 999 }, fields: groupFields, orderby: { displayName: 'both' }, countNeedsEventual: true },
      handle: async (req) => {
        const page = await groups.list(req.principal, req.odata.list);
        return collectionResponse(req, 'groups', { ...page, items: page.items.map((view) => groupJson(view.row, view.isTeam)) });
      },
    }),
    defineRoute({
      operation: 'group-get',
      doc: 'api-reference/v1.0/api/group-get.md',
      method: 'GET',
      response: 'microsoft.graph.group',
      forms: ['/groups/{groupId}'],
      permissions: { delegated: readAll, application: readAll },
      odata: groupQuery,
      handle: async (req) => {
        const view = await groups.get(req.principal, req.params.groupId);
        return entityResponse(req, 'groups', groupJson(view.row, view.isTeam));
      },
    }),
  ];
}
