import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { UserTable } from '../../store/schema.ts';
import { RememberedFacts } from '../../store/remembered-facts.ts';
import type { Principal } from '../../wire/auth.ts';
import { directoryObjectNotFound } from '../../wire/errors.ts';
import type { MessageSender } from '../messages/messages.schemas.ts';
import * as memberUsers from '../../store/member-users.ts';
import * as usersStore from './users.store.ts';

export { userColumns as userFields } from './users.store.ts';
export type { MemberUser, UsersFound } from '../../store/member-users.ts';

/** A user as a conversation member names it: `users('{id or userPrincipalName}')`, maybe with a tenant. */
export interface MemberReference {
  readonly idOrUpn: string;
  readonly tenantId: string | undefined;
}

/** Users found for conversation members without a fresh read, and the condition that they still are. */
export interface KnownMembers {
  readonly users: readonly memberUsers.MemberUser[];
  /** What a fresh read must still find for them to hold (memberUsers.usersUnchanged). */
  readonly found: memberUsers.UsersFound;
}

export class UsersService {
  // The users each member reference (an id or a userPrincipalName, in any tenant) last found here. Never
  // trusted alone: a write decided on them happens only while the database still holds them
  // (memberUsers.usersUnchanged), else it is decided again on users read afresh (docs/decisions.md 99).
  private readonly known: RememberedFacts<readonly memberUsers.MemberUser[]>;

  constructor(
    private readonly store: Store,
    rememberedFacts: boolean,
  ) {
    this.known = new RememberedFacts(rememberedFacts);
    store.onReset(() => this.known.forgetAll());
  }

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
  async findMembers(principal: Principal, references: readonly MemberReference[]): Promise<(memberUsers.MemberUser | undefined)[]> {
    const inAnyTenant = references.filter((reference) => reference.tenantId === undefined).map((reference) => reference.idOrUpn);
    const found = await memberUsers.findUsers(this.store.db, inAnyTenant);
    for (const idOrUpn of inAnyTenant)
      this.known.remember(
        idOrUpn,
        found.filter((row) => names(row, idOrUpn)),
      );
    return Promise.all(
      references.map(async ({ idOrUpn, tenantId }) =>
        tenantId === undefined ? memberIn(principal, idOrUpn, found) : usersStore.findUser(this.store.db, tenantId, idOrUpn),
      ),
    );
  }

  /**
   * What findMembers would find on the users this instance last read for the references, with the
   * condition that a fresh read would find the same; undefined when a reference names a tenant or was
   * not read here, or finds no user: a member is only ever refused on users read afresh.
   */
  knownMembers(principal: Principal, references: readonly MemberReference[]): KnownMembers | undefined {
    const rows = new Map<string, memberUsers.MemberUser>();
    for (const { idOrUpn, tenantId } of references) {
      const named = tenantId === undefined ? this.known.recall(idOrUpn) : undefined;
      if (named === undefined) return undefined;
      for (const row of named) rows.set(row.id, row);
    }
    const found = [...rows.values()];
    const users = references.map(({ idOrUpn }) => memberIn(principal, idOrUpn, found));
    if (!users.every((user) => user !== undefined)) return undefined;
    return {
      users,
      found: memberUsers.usersFound(
        references.map((reference) => reference.idOrUpn),
        found,
      ),
    };
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

const names = (row: memberUsers.MemberUser, idOrUpn: string) => row.id === idOrUpn || row.upn_key === idOrUpn.toLowerCase();

/** The user a reference without a tenant names: in the caller's tenant first, else (by object id only) in another. */
function memberIn(principal: Principal, idOrUpn: string, found: readonly memberUsers.MemberUser[]): memberUsers.MemberUser | undefined {
  const named = found.filter((row) => names(row, idOrUpn));
  const own = named.find((row) => row.tenant_id === principal.tenantId);
  if (own !== undefined || idOrUpn.includes('@')) return own;
  return named[0];
}
