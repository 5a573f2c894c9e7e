import { createServices, graphRoutes } from '../../src/app.ts';
import { OperationsService } from '../../src/resources/operations/operations.service.ts';
import type { Store } from '../../src/store/db.ts';
import type { GraphRoute } from '../../src/wire/routes.ts';

/** The app's route table over a store, as tests walk it: services with remembered facts, operations run at once. */
export function routeTableOf(store: Store): GraphRoute[] {
  return graphRoutes(createServices(store, new OperationsService(store, 0, () => undefined), true));
}
