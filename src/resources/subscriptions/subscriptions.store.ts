import { allOf } from '../../store/columns.ts';
import type { Change, NewNotification, Notification, NotificationTable, SubscriptionTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';

export function insertSubscription(h: Handle, row: SubscriptionTable) {
  return h.insertInto('subscriptions').values(row).execute();
}

export function findSubscription(h: Handle, id: string) {
  return h.selectFrom('subscriptions').select(allOf('subscriptions')).where('id', '=', id).executeTakeFirst();
}

export function findSubscriptions(h: Handle, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return h.selectFrom('subscriptions').select(allOf('subscriptions')).where('id', 'in', ids).execute();
}

/** The live subscriptions an application made, those of one of its users when `userId` is given. */
export function listSubscriptions(h: Handle, tenantId: string, applicationId: string, userId: string | null, now: string) {
  return h
    .selectFrom('subscriptions')
    .select(allOf('subscriptions'))
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .$if(userId !== null, (query) => query.where('user_id', '=', userId))
    .where('expiration_date_time', '>', now)
    .orderBy('created_date_time')
    .orderBy('id')
    .execute();
}

export function updateSubscription(h: Handle, id: string, changes: Partial<Omit<SubscriptionTable, 'id'>>) {
  return h.updateTable('subscriptions').set(changes).where('id', '=', id).executeTakeFirst();
}

export function deleteSubscription(h: Handle, id: string) {
  return h.deleteFrom('subscriptions').where('id', '=', id).executeTakeFirst();
}

/** An expired subscription holds its combination of resource and change types no longer. */
export function deleteExpiredTwin(h: Handle, row: Pick<SubscriptionTable, 'application_id' | 'creator_id' | 'target' | 'change_type'>, now: string) {
  return h
    .deleteFrom('subscriptions')
    .where('application_id', '=', row.application_id)
    .where('creator_id', '=', row.creator_id)
    .where('target', '=', row.target)
    .where('change_type', '=', row.change_type)
    .where('expiration_date_time', '<=', now)
    .execute();
}

/** The live subscription holding the combination, the one a 409 names. */
export function findTwin(h: Handle, row: Pick<SubscriptionTable, 'application_id' | 'creator_id' | 'target' | 'change_type'>) {
  return h
    .selectFrom('subscriptions')
    .select('id')
    .where('application_id', '=', row.application_id)
    .where('creator_id', '=', row.creator_id)
    .where('target', '=', row.target)
    .where('change_type', '=', row.change_type)
    .executeTakeFirst();
}

/** The oldest changes not yet dispatched; on PostgreSQL other instances skip the ones locked here. */
export function claimChanges(h: Handle, isPostgres: boolean, limit: number): Promise<Change[]> {
  return h
    .selectFrom('changes')
    .select(allOf('changes'))
    .orderBy('seq')
    .limit(limit)
    .$if(isPostgres, (query) => query.forUpdate().skipLocked())
    .execute();
}

export function deleteChanges(h: Handle, seqs: readonly number[]) {
  return h.deleteFrom('changes').where('seq', 'in', seqs).execute();
}

/** Every subscription of the tenants named, live or not: the dispatcher decides. */
export function subscriptionsOfTenants(h: Handle, tenantIds: readonly string[]) {
  return h.selectFrom('subscriptions').select(allOf('subscriptions')).where('tenant_id', 'in', tenantIds).execute();
}

/** Appends to the outbox; the rows as stored, oldest first. */
export async function insertNotifications(h: Handle, rows: readonly NewNotification[]): Promise<Notification[]> {
  const inserted: Notification[] = [];
  // A few hundred rows per statement stays far below either database's limit on parameters.
  for (let at = 0; at < rows.length; at += 200)
    inserted.push(
      ...(await h
        .insertInto('notifications')
        .values(rows.slice(at, at + 200))
        .returning(allOf('notifications'))
        .execute()),
    );
  // RETURNING keeps no order; PostgreSQL's bigint sequence reads as a string.
  return inserted.sort(bySeq);
}

const bySeq = (a: Notification, b: Notification) => Number(a.seq) - Number(b.seq);

/**
 * Takes up to `limit` due deliveries for this instance: each is leased until `leaseUntil` (its next
 * attempt, should this instance die meanwhile) and counted as an attempt, in one statement.
 */
export async function leaseDueNotifications(h: Handle, isPostgres: boolean, now: string, leaseUntil: string, limit: number): Promise<Notification[]> {
  const leased = await h
    .updateTable('notifications')
    .set((eb) => ({ next_attempt_date_time: leaseUntil, attempts: eb('attempts', '+', 1), last_attempt_date_time: now }))
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('notifications')
        .select('seq')
        .where('status', '=', 'pending')
        .where('next_attempt_date_time', '<=', now)
        .orderBy('next_attempt_date_time')
        .orderBy('seq')
        .limit(limit)
        .$if(isPostgres, (query) => query.forUpdate().skipLocked()),
    )
    .returning(allOf('notifications'))
    .execute();
  return leased.sort(bySeq);
}

export function updateNotifications(h: Handle, seqs: readonly number[], changes: Partial<Omit<NotificationTable, 'seq'>>) {
  return h.updateTable('notifications').set(changes).where('seq', 'in', seqs).execute();
}

export function recentNotifications(h: Handle, limit: number) {
  return h.selectFrom('notifications').select(allOf('notifications')).orderBy('seq', 'desc').limit(limit).execute();
}

/** Forgets deliveries finished before `before`: the outbox is not an archive. */
export function pruneNotifications(h: Handle, before: string) {
  return h.deleteFrom('notifications').where('status', '!=', 'pending').where('created_date_time', '<', before).execute();
}

export function expiredSubscriptions(h: Handle, now: string, limit: number) {
  return h.selectFrom('subscriptions').select(allOf('subscriptions')).where('expiration_date_time', '<=', now).limit(limit).execute();
}

/** Live subscriptions with a lifecycle URL that expire before `before` and have not been told to reauthorize. */
export function dueForReauthorization(h: Handle, before: string, limit: number) {
  return h
    .selectFrom('subscriptions')
    .select(allOf('subscriptions'))
    .where('lifecycle_notification_url', 'is not', null)
    .where('reauthorize_after', 'is', null)
    .where('expiration_date_time', '<=', before)
    .limit(limit)
    .execute();
}

export function markReauthorizationSent(h: Handle, id: string) {
  return h
    .updateTable('subscriptions')
    .set((eb) => ({ reauthorize_after: eb.ref('expiration_date_time') }))
    .where('id', '=', id)
    .where('reauthorize_after', 'is', null)
    .executeTakeFirst();
}
