import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { UserTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { directoryObjectNotFound } from '../../wire/errors.ts';
import * as usersStore from './users.store.ts';

export { userColumns as userFields } from './users.store.ts';

export class UsersService {
  constructor(private readonly store: Store) {}

  /** A user of the caller's tenant by id or userPrincipalName; other tenants' users do not exist here. */
  async get(principal: Principal, idOrUpn: string): Promise<UserTable> {
    const user = await usersStore.findUser(this.store.db, principal.tenantId, idOrUpn);
    if (user === undefined) throw directoryObjectNotFound(idOrUpn);
    return user;
  }

  /**
   * A user a conversation may name: in `tenantId` when given, else in the caller's tenant, else (by
   * object id only) in any tenant, for federated chat members (docs/decisions.md #30).
   */
  async findMember(principal: Principal, idOrUpn: string, tenantId: string | undefined): Promise<UserTable | undefined> {
    if (tenantId !== undefined) return usersStore.findUser(this.store.db, tenantId, idOrUpn);
    const own = await usersStore.findUser(this.store.db, principal.tenantId, idOrUpn);
    if (own !== undefined || idOrUpn.includes('@')) return own;
    return usersStore.findUserAnyTenant(this.store.db, idOrUpn);
  }

  list(principal: Principal, list: ListQuery): Promise<ListPage<UserTable>> {
    return usersStore.listUsers(this.store.db, principal.tenantId, list);
  }

  /** Tenant admins see and manage what ordinary members cannot (Teams service administrator). */
  async isAdmin(principal: Principal): Promise<boolean> {
    if (principal.userId === null) return false;
    const user = await usersStore.findUser(this.store.db, principal.tenantId, principal.userId);
    return user?.is_admin === 1;
  }
}
