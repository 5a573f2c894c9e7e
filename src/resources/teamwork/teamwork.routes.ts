import { type QuerySupport, applySelect } from '../../wire/odata/query-options.ts';
import { type GraphRequest, type GraphResponse, type GraphRoute, defineRoute } from '../../wire/routes.ts';
import type { TeamworkItemsService } from './teamwork-items.service.ts';
import {
  ItemAddBody,
  ItemMoveBody,
  ItemsReorderBody,
  SectionCreateBody,
  SectionUpdateBody,
  SectionsReorderBody,
  etagOf,
  itemJson,
  parseVersion,
  sectionJson,
  sectionProperties,
} from './teamwork.schemas.ts';
import type { SectionView, SectionsView, TeamworkService } from './teamwork.service.ts';

// Beta only (graph-surface 1.1). Permissions: includes/permissions/userteamwork-list-sections-permissions.md,
// teamworksection-list-items-permissions.md and seed 000; reads and writes differ only in level.
const readPermissions = {
  delegated: ['TeamworkSection.Read', 'TeamworkSection.ReadWrite'],
  application: ['TeamworkSection.Read.All', 'TeamworkSection.ReadWrite.All'],
};
const writePermissions = { delegated: ['TeamworkSection.ReadWrite'], application: ['TeamworkSection.ReadWrite.All', 'Teamwork.Migrate.All'] };
const sectionQuery: QuerySupport = { entityType: 'microsoft.graph.teamworkSection', properties: sectionProperties, expand: ['items'] };

type Req = GraphRequest<Record<string, string>, unknown>;

export function teamworkRoutes(sections: TeamworkService, items: TeamworkItemsService): GraphRoute[] {
  const sectionsPath = '/teamwork/sections';
  return [
    defineRoute({
      operation: 'section-list',
      doc: 'api-reference/beta/api/userteamwork-list-sections.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.teamworkSection)',
      forms: ['/me/teamwork/sections', '/users/{userId}/teamwork/sections'],
      versions: ['beta'],
      permissions: readPermissions,
      odata: sectionQuery,
      handle: async (req) => listResponse(req, await sections.list(req.principal, req.pathUserId, req.odata.expand)),
    }),
    defineRoute({
      operation: 'section-create',
      doc: 'api-reference/beta/api/userteamwork-post-sections.md',
      method: 'POST',
      response: 'microsoft.graph.teamworkSection',
      forms: ['/me/teamwork/sections', '/users/{userId}/teamwork/sections'],
      versions: ['beta'],
      permissions: writePermissions,
      body: SectionCreateBody,
      handle: async (req) => {
        const view = await sections.create(req.principal, req.pathUserId, req.headers['if-match'], req.body);
        return {
          status: 201,
          headers: { location: `${req.serviceRoot}/users/${view.ownerId}${sectionsPath}/${view.section.id}` },
          body: sectionBody(req, view),
        };
      },
    }),
    defineRoute({
      operation: 'section-reorder',
      doc: 'api-reference/beta/api/teamworksection-reorder.md',
      method: 'POST',
      response: 'Collection(microsoft.graph.teamworkSection)',
      forms: ['/me/teamwork/sections/reorder', '/users/{userId}/teamwork/sections/reorder'],
      versions: ['beta'],
      permissions: writePermissions,
      body: SectionsReorderBody,
      handle: async (req) => {
        const view = await sections.reorder(req.principal, req.pathUserId, req.headers['if-match'], req.body.sectionsOrder);
        return { status: 200, body: { '@odata.context': sectionsContext(req, view.ownerId), value: view.sections.map((s) => sectionJson(s, view.version)) } };
      },
    }),
    defineRoute({
      operation: 'section-get',
      doc: 'api-reference/beta/api/teamworksection-get.md',
      method: 'GET',
      response: 'microsoft.graph.teamworkSection',
      forms: ['/me/teamwork/sections/{sectionId}', '/users/{userId}/teamwork/sections/{sectionId}'],
      versions: ['beta'],
      permissions: readPermissions,
      odata: sectionQuery,
      handle: async (req) => {
        const view = await sections.get(req.principal, req.pathUserId, req.params.sectionId, req.odata.expand);
        const etag = etagOf(view.version);
        const ifNoneMatch = req.headers['if-none-match'];
        if (ifNoneMatch !== undefined && parseVersion(ifNoneMatch) === view.version) return { status: 304, headers: { etag } };
        return { status: 200, headers: { etag }, body: sectionBody(req, view) };
      },
    }),
    defineRoute({
      operation: 'section-update',
      doc: 'api-reference/beta/api/teamworksection-update.md',
      method: 'PATCH',
      response: 'microsoft.graph.teamworkSection',
      forms: ['/me/teamwork/sections/{sectionId}', '/users/{userId}/teamwork/sections/{sectionId}'],
      versions: ['beta'],
      permissions: writePermissions,
      body: SectionUpdateBody,
      handle: async (req) => ({
        status: 200,
        body: sectionBody(req, await sections.update(req.principal, req.pathUserId, req.params.sectionId, req.headers['if-match'], req.body)),
      }),
    }),
    defineRoute({
      operation: 'section-delete',
      doc: 'api-reference/beta/api/teamworksection-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/me/teamwork/sections/{sectionId}', '/users/{userId}/teamwork/sections/{sectionId}'],
      versions: ['beta'],
      permissions: writePermissions,
      handle: async (req) => {
        await sections.delete(req.principal, req.pathUserId, req.params.sectionId, req.headers['if-match']);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'section-item-list',
      doc: 'api-reference/beta/api/teamworksection-list-items.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.teamworkSectionItem)',
      forms: ['/me/teamwork/sections/{sectionId}/items', '/users/{userId}/teamwork/sections/{sectionId}/items'],
      versions: ['beta'],
      permissions: readPermissions,
      handle: async (req) => {
        const view = await items.list(req.principal, req.pathUserId, req.params.sectionId);
        return {
          status: 200,
          body: { '@odata.context': itemsContext(req, view.ownerId, req.params.sectionId), value: view.items.map((i) => itemJson(i, view.version)) },
        };
      },
    }),
    defineRoute({
      operation: 'section-item-add',
      doc: 'api-reference/beta/api/teamworksection-post-items.md',
      method: 'POST',
      response: 'microsoft.graph.teamworkSectionItem',
      forms: ['/me/teamwork/sections/{sectionId}/items', '/users/{userId}/teamwork/sections/{sectionId}/items'],
      versions: ['beta'],
      permissions: writePermissions,
      body: ItemAddBody,
      handle: async (req) => {
        const sectionId = req.params.sectionId;
        const view = await items.add(req.principal, req.pathUserId, sectionId, req.headers['if-match'], req.body.id);
        // The page's Location carries the raw conversation id, not percent-encoded.
        const location = `${req.serviceRoot}/users/${view.ownerId}${sectionsPath}/${sectionId}/items/${view.item.id}`;
        return {
          status: 201,
          headers: { location },
          body: { '@odata.context': `${itemsContext(req, view.ownerId, sectionId)}/$entity`, ...itemJson(view.item, view.version) },
        };
      },
    }),
    defineRoute({
      operation: 'section-item-reorder',
      doc: 'api-reference/beta/api/teamworksectionitem-reorder.md',
      method: 'POST',
      response: 'Collection(microsoft.graph.teamworkSectionItem)',
      forms: ['/me/teamwork/sections/{sectionId}/items/reorder', '/users/{userId}/teamwork/sections/{sectionId}/items/reorder'],
      versions: ['beta'],
      permissions: writePermissions,
      body: ItemsReorderBody,
      handle: async (req) => {
        const sectionId = req.params.sectionId;
        const view = await items.reorder(req.principal, req.pathUserId, sectionId, req.headers['if-match'], req.body.itemsOrder);
        return { status: 200, body: { '@odata.context': itemsContext(req, view.ownerId, sectionId), value: view.items.map((i) => itemJson(i, view.version)) } };
      },
    }),
    defineRoute({
      operation: 'section-item-delete',
      doc: 'api-reference/beta/api/teamworksectionitem-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/me/teamwork/sections/{sectionId}/items/{itemId}', '/users/{userId}/teamwork/sections/{sectionId}/items/{itemId}'],
      versions: ['beta'],
      permissions: writePermissions,
      handle: async (req) => {
        await items.remove(req.principal, req.pathUserId, req.params.sectionId, req.params.itemId, req.headers['if-match']);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'section-item-move',
      doc: 'api-reference/beta/api/teamworksectionitem-move.md',
      method: 'POST',
      response: 'microsoft.graph.teamworkSectionItem',
      forms: ['/me/teamwork/sections/{sectionId}/items/{itemId}/move', '/users/{userId}/teamwork/sections/{sectionId}/items/{itemId}/move'],
      versions: ['beta'],
      permissions: writePermissions,
      body: ItemMoveBody,
      handle: async (req) => {
        const view = await items.move(
          req.principal,
          req.pathUserId,
          req.params.sectionId,
          req.params.itemId,
          req.headers['if-match'],
          req.body.targetSectionId,
        );
        const targetId = view.item.section_id;
        return { status: 200, body: { '@odata.context': `${itemsContext(req, view.ownerId, targetId)}/$entity`, ...itemJson(view.item, view.version) } };
      },
    }),
  ];
}

const sectionsContext = (req: Req, userId: string) => `${req.serviceRoot}/$metadata#users('${userId}')/teamwork/sections`;
const itemsContext = (req: Req, userId: string, sectionId: string) =>
  `${req.serviceRoot}/$metadata#users('${userId}')/teamwork/sections('${encodeURIComponent(sectionId)}')/items`;

function sectionBody(req: Req, view: SectionView) {
  const items = view.items === null ? undefined : view.items;
  return {
    '@odata.context': `${sectionsContext(req, view.ownerId)}/$entity`,
    ...applySelect(sectionJson(view.section, view.version, items), req.odata.select),
  };
}

/** With `$expand=items` Graph leaves out the two annotations (userteamwork-list-sections.md). */
function listResponse(req: Req, view: SectionsView): GraphResponse {
  const value = view.sections.map((section) =>
    applySelect(sectionJson(section, view.version, view.items === null ? undefined : (view.items.get(section.id) ?? [])), req.odata.select),
  );
  const annotations = view.items === null ? { '@microsoft.graph.sectionsOrder': view.order, '@microsoft.graph.sectionsVersion': String(view.version) } : {};
  return { status: 200, body: { '@odata.context': sectionsContext(req, view.ownerId), ...annotations, value } };
}
