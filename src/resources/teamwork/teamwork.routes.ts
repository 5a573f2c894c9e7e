import Type, { type TSchema } from 'typebox';
import { signedInUserId } from '../../wire/auth.ts';
import { type QuerySupport, applySelect } from '../../wire/odata/query-options.ts';
import type { GraphRequest, GraphResponse, GraphRoute, HttpMethod } from '../../wire/routes.ts';
import type { TeamworkItemsService } from './teamwork-items.service.ts';
import { AnyObjectBody, etagOf, itemJson, parseVersion, sectionJson, sectionProperties } from './teamwork.schemas.ts';
import type { SectionView, SectionsView, TeamworkService } from './teamwork.service.ts';

// Beta only (graph-surface 1.1). Permissions: includes/permissions/userteamwork-list-sections-permissions.md,
// teamworksection-list-items-permissions.md and seed 000; reads and writes differ only in level.
const readPermissions = {
  delegated: ['TeamworkSection.Read', 'TeamworkSection.ReadWrite'],
  application: ['TeamworkSection.Read.All', 'TeamworkSection.ReadWrite.All'],
};
const writePermissions = { delegated: ['TeamworkSection.ReadWrite'], application: ['TeamworkSection.ReadWrite.All', 'Teamwork.Migrate.All'] };
const sectionQuery: QuerySupport = { entityType: 'microsoft.graph.teamworkSection', properties: sectionProperties, expand: ['items'] };

type Req = GraphRequest<Record<string, string>, Record<string, unknown>>;

interface SectionsRoute {
  readonly operation: string;
  readonly doc: string;
  readonly method: HttpMethod;
  /** The path below `/users/{userId}` or `/me`. */
  readonly path: string;
  readonly isWrite: boolean;
  readonly odata?: QuerySupport;
  readonly handle: (req: Req, userId: string) => Promise<GraphResponse>;
}

/** Each operation is served at `/users/{userId}/…` and, for delegated callers, at `/me/…`. */
function atUserAndMe(route: SectionsRoute): GraphRoute[] {
  const keys = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const paramsOf = (names: readonly string[]): TSchema => Type.Object(Object.fromEntries(names.map((name) => [name, Type.String({ minLength: 1 })])));
  const permissions = route.isWrite ? writePermissions : readPermissions;
  const shared = {
    doc: route.doc,
    method: route.method,
    versions: ['beta'] as const,
    ...(route.method === 'POST' || route.method === 'PATCH' ? { body: AnyObjectBody } : {}),
    ...(route.odata === undefined ? {} : { odata: route.odata }),
  };
  return [
    {
      ...shared,
      operation: route.operation,
      url: `/users/{userId}${route.path}`,
      params: paramsOf(['userId', ...keys]),
      permissions,
      handle: (req) => route.handle(req as Req, (req as Req).params.userId as string),
    },
    {
      ...shared,
      operation: `me-${route.operation}`,
      url: `/me${route.path}`,
      ...(keys.length === 0 ? {} : { params: paramsOf(keys) }),
      permissions: { delegated: permissions.delegated, application: [] },
      handle: (req) => route.handle(req as Req, signedInUserId(req.principal)),
    },
  ];
}

export function teamworkRoutes(sections: TeamworkService, items: TeamworkItemsService): GraphRoute[] {
  const sectionsPath = '/teamwork/sections';
  const itemsPath = `${sectionsPath}/{sectionId}/items`;
  const routes: SectionsRoute[] = [
    {
      operation: 'section-list',
      doc: 'api-reference/beta/api/userteamwork-list-sections.md',
      method: 'GET',
      path: sectionsPath,
      isWrite: false,
      odata: sectionQuery,
      handle: async (req, userId) => listResponse(req, await sections.list(req.principal, userId, req.odata.expand === 'items')),
    },
    {
      operation: 'section-create',
      doc: 'api-reference/beta/api/userteamwork-post-sections.md',
      method: 'POST',
      path: sectionsPath,
      isWrite: true,
      handle: async (req, userId) => {
        const view = await sections.create(req.principal, userId, req.headers['if-match'], req.body);
        return { status: 201, headers: { location: `${req.serviceRoot}/users/${view.ownerId}${sectionsPath}/${view.section.id}` }, body: sectionBody(req, view) };
      },
    },
    {
      operation: 'section-reorder',
      doc: 'api-reference/beta/api/teamworksection-reorder.md',
      method: 'POST',
      path: `${sectionsPath}/reorder`,
      isWrite: true,
      handle: async (req, userId) => {
        const view = await sections.reorder(req.principal, userId, req.headers['if-match'], req.body);
        return { status: 200, body: { '@odata.context': sectionsContext(req, view.ownerId), value: view.sections.map((s) => sectionJson(s, view.version)) } };
      },
    },
    {
      operation: 'section-get',
      doc: 'api-reference/beta/api/teamworksection-get.md',
      method: 'GET',
      path: `${sectionsPath}/{sectionId}`,
      isWrite: false,
      odata: sectionQuery,
      handle: async (req, userId) => {
        const view = await sections.get(req.principal, userId, req.params.sectionId as string, req.odata.expand === 'items');
        const etag = etagOf(view.version);
        const ifNoneMatch = req.headers['if-none-match'];
        if (ifNoneMatch !== undefined && parseVersion(ifNoneMatch) === view.version) return { status: 304, headers: { etag } };
        return { status: 200, headers: { etag }, body: sectionBody(req, view) };
      },
    },
    {
      operation: 'section-update',
      doc: 'api-reference/beta/api/teamworksection-update.md',
      method: 'PATCH',
      path: `${sectionsPath}/{sectionId}`,
      isWrite: true,
      handle: async (req, userId) => ({
        status: 200,
        body: sectionBody(req, await sections.update(req.principal, userId, req.params.sectionId as string, req.headers['if-match'], req.body)),
      }),
    },
    {
      operation: 'section-delete',
      doc: 'api-reference/beta/api/teamworksection-delete.md',
      method: 'DELETE',
      path: `${sectionsPath}/{sectionId}`,
      isWrite: true,
      handle: async (req, userId) => {
        await sections.delete(req.principal, userId, req.params.sectionId as string, req.headers['if-match']);
        return { status: 204 };
      },
    },
    {
      operation: 'section-item-list',
      doc: 'api-reference/beta/api/teamworksection-list-items.md',
      method: 'GET',
      path: itemsPath,
      isWrite: false,
      handle: async (req, userId) => {
        const view = await items.list(req.principal, userId, req.params.sectionId as string);
        return { status: 200, body: { '@odata.context': itemsContext(req, view.ownerId, req.params.sectionId as string), value: view.items.map((i) => itemJson(i, view.version)) } };
      },
    },
    {
      operation: 'section-item-add',
      doc: 'api-reference/beta/api/teamworksection-post-items.md',
      method: 'POST',
      path: itemsPath,
      isWrite: true,
      handle: async (req, userId) => {
        const sectionId = req.params.sectionId as string;
        const view = await items.add(req.principal, userId, sectionId, req.headers['if-match'], req.body);
        // The page's Location carries the raw conversation id, not percent-encoded.
        const location = `${req.serviceRoot}/users/${view.ownerId}${sectionsPath}/${sectionId}/items/${view.item.id}`;
        return { status: 201, headers: { location }, body: { '@odata.context': `${itemsContext(req, view.ownerId, sectionId)}/$entity`, ...itemJson(view.item, view.version) } };
      },
    },
    {
      operation: 'section-item-reorder',
      doc: 'api-reference/beta/api/teamworksectionitem-reorder.md',
      method: 'POST',
      path: `${itemsPath}/reorder`,
      isWrite: true,
      handle: async (req, userId) => {
        const sectionId = req.params.sectionId as string;
        const view = await items.reorder(req.principal, userId, sectionId, req.headers['if-match'], req.body);
        return { status: 200, body: { '@odata.context': itemsContext(req, view.ownerId, sectionId), value: view.items.map((i) => itemJson(i, view.version)) } };
      },
    },
    {
      operation: 'section-item-delete',
      doc: 'api-reference/beta/api/teamworksectionitem-delete.md',
      method: 'DELETE',
      path: `${itemsPath}/{itemId}`,
      isWrite: true,
      handle: async (req, userId) => {
        await items.remove(req.principal, userId, req.params.sectionId as string, req.params.itemId as string, req.headers['if-match']);
        return { status: 204 };
      },
    },
    {
      operation: 'section-item-move',
      doc: 'api-reference/beta/api/teamworksectionitem-move.md',
      method: 'POST',
      path: `${itemsPath}/{itemId}/move`,
      isWrite: true,
      handle: async (req, userId) => {
        const view = await items.move(req.principal, userId, req.params.sectionId as string, req.params.itemId as string, req.headers['if-match'], req.body);
        const targetId = view.item.section_id;
        return { status: 200, body: { '@odata.context': `${itemsContext(req, view.ownerId, targetId)}/$entity`, ...itemJson(view.item, view.version) } };
      },
    },
  ];
  return routes.flatMap(atUserAndMe);
}

const sectionsContext = (req: Req, userId: string) => `${req.serviceRoot}/$metadata#users('${userId}')/teamwork/sections`;
const itemsContext = (req: Req, userId: string, sectionId: string) =>
  `${req.serviceRoot}/$metadata#users('${userId}')/teamwork/sections('${encodeURIComponent(sectionId)}')/items`;

function sectionBody(req: Req, view: SectionView) {
  const items = view.items === null ? undefined : view.items;
  return { '@odata.context': `${sectionsContext(req, view.ownerId)}/$entity`, ...applySelect(sectionJson(view.section, view.version, items), req.odata.select) };
}

/** With `$expand=items` Graph leaves out the two annotations (userteamwork-list-sections.md). */
function listResponse(req: Req, view: SectionsView): GraphResponse {
  const value = view.sections.map((section) =>
    applySelect(sectionJson(section, view.version, view.items === null ? undefined : (view.items.get(section.id) ?? [])), req.odata.select),
  );
  const annotations = view.items === null ? { '@microsoft.graph.sectionsOrder': view.order, '@microsoft.graph.sectionsVersion': String(view.version) } : {};
  return { status: 200, body: { '@odata.context': sectionsContext(req, view.ownerId), ...annotations, value } };
}
