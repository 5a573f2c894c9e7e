import { type GraphRoute, collectionResponse, defineRoute, entityResponse } from '../../wire/routes.ts';
import { SubscriptionCreateBody, SubscriptionUpdateBody, subscriptionJson, subscriptionProperties } from './subscriptions.schemas.ts';
import type { SubscriptionsService } from './subscriptions.service.ts';
import { targetKinds } from './subscriptions.targets.ts';

// A subscription takes the permission its resource needs (subscription-post-subscriptions.md): any of
// them lets a caller reach these routes, and the resource's own row decides (subscriptions.access.ts).
const permissions = {
  delegated: [...new Set(targetKinds.flatMap((kind) => kind.permissions.delegated))],
  application: [...new Set(targetKinds.flatMap((kind) => kind.permissions.application))],
};
const subscriptionQuery = { entityType: 'microsoft.graph.subscription', properties: subscriptionProperties } as const;

export function subscriptionRoutes(subscriptions: SubscriptionsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'subscription-create',
      doc: 'api-reference/v1.0/api/subscription-post-subscriptions.md',
      method: 'POST',
      response: 'microsoft.graph.subscription',
      forms: ['/subscriptions'],
      body: SubscriptionCreateBody,
      permissions,
      handle: async (req) =>
        entityResponse(req, 'subscriptions', subscriptionJson(await subscriptions.create(req.principal, req.body), { inList: false }), 201),
    }),
    defineRoute({
      operation: 'subscription-list',
      doc: 'api-reference/v1.0/api/subscription-list.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.subscription)',
      forms: ['/subscriptions'],
      permissions,
      handle: async (req) => {
        const rows = await subscriptions.list(req.principal);
        return collectionResponse(req, 'subscriptions', { items: rows.map((row) => subscriptionJson(row, { inList: true })), after: null });
      },
    }),
    defineRoute({
      operation: 'subscription-get',
      doc: 'api-reference/v1.0/api/subscription-get.md',
      method: 'GET',
      response: 'microsoft.graph.subscription',
      forms: ['/subscriptions/{subscriptionId}'],
      permissions,
      odata: subscriptionQuery,
      handle: async (req) =>
        entityResponse(req, 'subscriptions', subscriptionJson(await subscriptions.get(req.principal, req.params.subscriptionId), { inList: false })),
    }),
    defineRoute({
      operation: 'subscription-update',
      doc: 'api-reference/v1.0/api/subscription-update.md',
      method: 'PATCH',
      response: 'microsoft.graph.subscription',
      forms: ['/subscriptions/{subscriptionId}'],
      body: SubscriptionUpdateBody,
      permissions,
      handle: async (req) =>
        entityResponse(
          req,
          'subscriptions',
          subscriptionJson(await subscriptions.update(req.principal, req.params.subscriptionId, req.body), { inList: false }),
        ),
    }),
    defineRoute({
      operation: 'subscription-delete',
      doc: 'api-reference/v1.0/api/subscription-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/subscriptions/{subscriptionId}'],
      permissions,
      handle: async (req) => {
        await subscriptions.delete(req.principal, req.params.subscriptionId);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'subscription-reauthorize',
      doc: 'api-reference/v1.0/api/subscription-reauthorize.md',
      method: 'POST',
      response: null,
      forms: ['/subscriptions/{subscriptionId}/reauthorize'],
      permissions,
      handle: async (req) => {
        await subscriptions.reauthorize(req.principal, req.params.subscriptionId);
        return { status: 204 };
      },
    }),
  ];
}
