import type { Store } from '../store/db.ts';
import { type Authenticator, type Principal, missingToken } from '../wire/auth.ts';
import { findDefaultUser } from './identity.store.ts';

/** The Graph Explorer's app id: what a token-less dev-mode call is attributed to. */
const devAppId = 'de8bc8b5-d9f9-48b1-a8ad-b748da725064';

/**
 * Dev mode: a request without a token acts as the seed's default user (AdeleV@contoso.com in the demo
 * tenant), delegated, holding every permission any route accepts, so that curl works out of the box.
 */
export function devAuthenticator(store: Store, everyPermission: ReadonlySet<string>): Authenticator {
  let cached: Principal | null = null;
  store.onReset(() => (cached = null));
  return async () => {
    if (cached !== null) return cached;
    const user = await findDefaultUser(store.db);
    if (user === undefined) throw missingToken();
    cached = { kind: 'delegated', tenantId: user.tenant_id, userId: user.id, appId: devAppId, permissions: everyPermission };
    return cached;
  };
}
