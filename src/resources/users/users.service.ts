import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { UserTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { directoryObjectNotFound } from '../../wire/errors.ts';
import type { MessageSender } from '../messages/messages.schemas.ts';
import * as usersStore from './users.store.ts';

export { userColumns as userFields } from './users.store.ts';

/** A user as a conversation member names it: `users('{id or userPrincipalName}')`, maybe with a tenant. */
export interface MemberReference {
  readonly idOrUpn: string;
  readonly tenantId: string | undefined;
}

export class UsersService {
  constructor(private readonly store: Store) {}

  /** A user of the caller's tenant by id or userPrincipalName; other tenants' users do not exist here. */
  async get(principal: Principal, idOrUpn: string): Promise<UserTable> {
    const user = await usersStore.findUser(this.store.db, principal.tenantId, idOrUpn);
    if (user === undefined) throw directoryObjectNotFound(idOrUpn);
    return user;
  }

  /** How a message names its sender: the user's name and tenant; a user the directory does not know has no name. */
  async sender(tenantId: string, userId: string): Promise<MessageSender> {
    const user = await usersStore.findUser(this.store.db, tenantId, userId);
    return { userId, displayName: user?.display_name ?? null, tenantId: user?.tenant_id ?? tenantId };
  }

  /**
   * The users conversation members name, in order (undefined where none): each in its `tenantId` when
   * given, else in the caller's tenant, else (by object id only) in any tenant, for federated chat
   * members (docs/decisions.md #30). One read finds all that name no tenant.
   */
  async findMembers(principal: Principal, references: readonly MemberReference[]): Promise<(usersStore.MemberUser | undefined)[]> {
    const inAnyTenant = references.filter((reference) => reference.tenantId === undefined).map((reference) => reference.idOrUpn);
    const found = await usersStore.findUsers(this.store.db, inAnyTenant);
    return Promise.all(
      references.map(async ({ idOrUpn, tenantId }) => {
        if (tenantId !== undefined) return usersStore.findUser(this.store.db, tenantId, idOrUpn);
        const named = found.filter((row) => row.id === idOrUpn || row.upn_key === idOrUpn.toLowerCase());
        const own = named.find((row) => row.tenant_id === principal.tenantId);
        if (own !== undefined || idOrUpn.includes('@')) return own;
        return named[0];
      }),
    );
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
