import type { Store } from '../../store/db.ts';
import type { Change, NewNotification, Notification, NotificationTable, SubscriptionTable } from '../../store/schema.ts';
import { type Handle, withSingleWrite, withTransaction } from '../../store/transaction.ts';
import { startPolling } from '../operations/operations.service.ts';
import { type MessageQuery, messageQueryOf, targetOf } from './subscriptions.service.ts';
import * as channelMessagesStore from '../channels/channel-messages.store.ts';
import * as chatMessagesStore from '../chats/chat-messages.store.ts';
import * as chatsStore from '../chats/chats.store.ts';
import * as subscriptionsStore from './subscriptions.store.ts';
import { type Target, changedResource } from './subscriptions.targets.ts';
import type { RichContent } from './notifications.content.ts';
import { postNotification } from './webhooks.ts';

// Change notifications leave through an outbox (docs/decisions.md 152). Each poll, in any instance:
// 1. dispatch: each change the triggers appended becomes one outbox row per URL its matching
//    subscriptions share, and leaves `changes`, in one transaction, so a change is dispatched once
//    however many instances poll; the rows are written already leased to the dispatching instance
//    (their next attempt past the time a POST can take), which posts them in the same pass;
// 2. deliver: those rows, and the ones due again (retries, lifecycle notifications, rows whose
//    instance died), leased the same way, are posted, those for one URL together; a 2xx marks them
//    delivered, anything else schedules the next attempt, and an instance that dies mid-POST leaves
//    them due again when the lease ends. A pass's results are written together;
// 3. lifecycle: expired subscriptions are removed, and lifecycle URLs told what Graph tells them.

export interface NotificationTiming {
  /** The first retry's wait, doubled for each further failure. */
  readonly retryMs: number;
  /** How long after its change a notification is retried before it is dropped. */
  readonly retryWindowMs: number;
}

/** Graph counts a delivery made on a 2xx within 3 s, and gives retries 10 s (change-notifications-delivery-webhooks.md). */
const firstAttemptTimeoutMs = 3_000;
const retryTimeoutMs = 10_000;
/** Longer than any POST may take, so that a lease ends only for an instance that died. */
const leaseMs = retryTimeoutMs + 5_000;
const changesPerPoll = 500;
const deliveriesPerPoll = 200;
/** Notifications per POST: Graph batches several in one `value`. */
const batchMax = 200;
/** Delivered and dropped notifications are listed on the control plane this long, then forgotten. */
const keepFinishedMs = 60 * 60_000;
/** A subscription with a lifecycle URL is told to reauthorize this long before it expires. */
const reauthorizeBeforeMs = 15 * 60_000;
const pollMs = 50;
/** Expiry and reauthorization are matters of minutes: their pass runs once a second at most. */
const lifecycleEveryMs = 1_000;

export class NotificationWorker {
  private lifecycleAt = 0;

  constructor(
    private readonly store: Store,
    private readonly timing: NotificationTiming,
    private readonly content: RichContent,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** One pass of the three steps; true when it found work, so that the next pass comes at once. */
  async runOnce(): Promise<boolean> {
    const { changes, leased } = await this.dispatch();
    const delivered = await this.deliver(leased);
    if (Date.now() - this.lifecycleAt >= lifecycleEveryMs) {
      this.lifecycleAt = Date.now();
      await this.lifecycle();
    }
    return changes > 0 || delivered > 0;
  }

  /** Passes until the returned function is called, which resolves once the pass in progress has ended. */
  start(): () => Promise<void> {
    return startPolling(pollMs, () => this.runOnce(), this.onError);
  }

  /** The latest deliveries, newest first, as the control plane lists them (GET /_teamgraph/notifications). */
  async recent(limit = 200) {
    const rows = await subscriptionsStore.recentNotifications(this.store.db, limit);
    return rows.map((row) => ({
      id: String(row.seq),
      subscriptionIds: JSON.parse(row.subscription_ids) as string[],
      kind: row.kind,
      url: row.url,
      status: row.status,
      attempts: row.attempts,
      lastResult: row.last_result,
      createdDateTime: row.created_date_time,
      lastAttemptDateTime: row.last_attempt_date_time,
      nextAttemptDateTime: row.status === 'pending' ? row.next_attempt_date_time : null,
      // A change notification is built when it is posted; what the row keeps is the change it tells of.
      ...(row.kind === 'change' ? { change: JSON.parse(row.payload) as unknown } : { notification: JSON.parse(row.payload) as unknown }),
    }));
  }

  /**
   * Turns pending changes into notifications: how many changes it took, and the outbox rows it leased
   * to this instance (up to a pass's worth; the rest wait as due). Leasing them as they are written
   * saves each a write of its own before its POST.
   */
  async dispatch(): Promise<{ changes: number; leased: Notification[] }> {
    return withTransaction(this.store, async (tx) => {
      const changes = await subscriptionsStore.claimChanges(tx, this.store.kind === 'postgres', changesPerPoll);
      if (changes.length === 0) return { changes: 0, leased: [] };
      const tenants = [...new Set(changes.map((change) => change.tenant_id))];
      const now = new Date();
      const subscriptions = (await subscriptionsStore.subscriptionsOfTenants(tx, tenants)).filter((row) => row.expiration_date_time > now.toISOString());
      const watching = subscriptions.map((subscription) => {
        const target = targetOf(subscription);
        return { subscription, target, query: messageQueryOf(target) };
      });
      const rows: NewNotification[] = [];
      for (const change of changes) {
        // One change's notifications for subscriptions that share a URL (and a validation token's audience) travel together.
        const byEndpoint = new Map<string, Endpoint>();
        for (const { subscription, target, query } of watching) {
          if (!(await matches(tx, subscription, target, query, change))) continue;
          const audience = subscription.include_resource_data === 1 ? (subscription.notification_url_app_id ?? subscription.application_id) : null;
          const key = `${subscription.notification_url} ${audience ?? ''}`;
          const endpoint = byEndpoint.get(key) ?? { url: subscription.notification_url, audience, subscriptionIds: [] };
          endpoint.subscriptionIds.push(subscription.id);
          byEndpoint.set(key, endpoint);
        }
        for (const endpoint of byEndpoint.values()) {
          const row = this.outboxRow(change.tenant_id, 'change', endpoint, change, now);
          rows.push(rows.length < deliveriesPerPoll ? { ...row, ...leaseOf(now) } : row);
        }
      }
      const inserted = await subscriptionsStore.insertNotifications(tx, rows);
      await subscriptionsStore.deleteChanges(
        tx,
        changes.map((change) => change.seq),
      );
      return { changes: changes.length, leased: inserted.filter((row) => row.attempts > 0) };
    });
  }

  /** A subscription's changeNotification of a change, built as it is posted: a rich one holds the resource as it is then. */
  private async itemOf(h: Handle, subscription: SubscriptionTable, change: Change): Promise<Record<string, unknown>> {
    const { resource, type, id } = changedResource(change);
    const item: Record<string, unknown> = {
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expiration_date_time,
      changeType: change.change_type,
      resource,
      resourceData: { id, '@odata.type': type, '@odata.id': resource },
      clientState: subscription.client_state,
      tenantId: subscription.tenant_id,
    };
    if (subscription.include_resource_data === 1) item.encryptedContent = await this.content.encrypted(h, subscription, change);
    return item;
  }

  /**
   * An outbox row: who it is for and where it goes, and what it tells: the change, whose notifications
   * are built when they are posted, or a lifecycle notification. The row stays small, so that its lease
   * and its result, which rewrite it, cost little.
   */
  private outboxRow(tenantId: string, kind: NotificationTable['kind'], endpoint: Endpoint, content: object, now: Date): NewNotification {
    return {
      tenant_id: tenantId,
      subscription_ids: JSON.stringify(endpoint.subscriptionIds),
      kind,
      url: endpoint.url,
      payload: JSON.stringify(content),
      token_audience: endpoint.audience,
      status: 'pending',
      attempts: 0,
      last_result: null,
      created_date_time: now.toISOString(),
      next_attempt_date_time: now.toISOString(),
      retry_until: new Date(now.getTime() + this.timing.retryWindowMs).toISOString(),
      last_attempt_date_time: null,
    };
  }

  /** Posts `dispatched` and what else is due, up to a pass's worth; returns how many outbox rows it posted. */
  async deliver(dispatched: readonly Notification[]): Promise<number> {
    const now = new Date();
    const due =
      dispatched.length >= deliveriesPerPoll
        ? []
        : await withSingleWrite(this.store, (h) => {
            const lease = leaseOf(now);
            return subscriptionsStore.leaseDueNotifications(
              h,
              this.store.kind === 'postgres',
              lease.last_attempt_date_time,
              lease.next_attempt_date_time,
              deliveriesPerPoll - dispatched.length,
            );
          });
    const leased = [...dispatched, ...due];
    if (leased.length === 0) return 0;
    const watchedBy = new Map(leased.map((row) => [row, JSON.parse(row.subscription_ids) as string[]]));
    // A change notification whose subscription is gone or expired is not sent (change-notifications-overview.md).
    const subscriptionIds = [...new Set([...watchedBy.values()].flat())];
    const live = new Map(
      (await subscriptionsStore.findSubscriptions(this.store.db, subscriptionIds))
        .filter((subscription) => subscription.expiration_date_time > now.toISOString())
        .map((subscription) => [subscription.id, subscription]),
    );
    const sendable: Outgoing[] = [];
    for (const row of leased) {
      if (row.kind === 'lifecycle') {
        sendable.push({ row, items: [JSON.parse(row.payload) as object] });
        continue;
      }
      const change = JSON.parse(row.payload) as Change;
      const watchers = (watchedBy.get(row) ?? []).flatMap((id) => live.get(id) ?? []);
      sendable.push({ row, items: await Promise.all(watchers.map((subscription) => this.itemOf(this.store.db, subscription, change))) });
    }
    const orphaned = sendable.filter(({ items }) => items.length === 0).map(({ row }) => row);
    const posted = await Promise.all(batches(sendable.filter(({ items }) => items.length > 0)).map((batch) => this.post(batch)));
    // One write per outcome for the whole pass: a POST's own write would cost the posts in flight a
    // round trip each through the pool they share.
    const finished = new Map<string, { status: NotificationTable['status']; result: string; rows: Notification[] }>();
    const finish = (status: NotificationTable['status'], result: string, rows: readonly Notification[]) => {
      const entry = finished.get(`${status} ${result}`) ?? { status, result, rows: [] };
      entry.rows.push(...rows);
      finished.set(`${status} ${result}`, entry);
    };
    if (orphaned.length > 0) finish('dropped', 'subscription removed', orphaned);
    for (const { rows, result } of posted) if (result !== null) finish('delivered', result, rows);
    for (const { status, result, rows } of finished.values()) {
      await withSingleWrite(this.store, (h) =>
        subscriptionsStore.updateNotifications(
          h,
          rows.map((row) => row.seq),
          { status, last_result: result },
        ),
      );
    }
    return leased.length;
  }

  /** Posts one batch; the rows and their result when delivered (null when a retry or a drop was recorded instead). */
  private async post(batch: readonly Outgoing[]): Promise<{ rows: Notification[]; result: string | null }> {
    const rows = batch.map(({ row }) => row);
    const first = rows[0] as Notification;
    const timeoutMs = rows.every((row) => row.attempts === 1) ? firstAttemptTimeoutMs : retryTimeoutMs;
    const value = batch.flatMap(({ items }) => items);
    const validationTokens = await this.content.validationTokens(rows);
    const { delivered, result } = await postNotification(first.url, validationTokens === null ? { value } : { value, validationTokens }, timeoutMs);
    if (delivered) return { rows, result };
    const now = Date.now();
    const retry = rows.filter((row) => now + this.retryDelay(row.attempts) <= Date.parse(row.retry_until));
    const dropped = rows.filter((row) => !retry.includes(row));
    for (const row of retry) {
      await withSingleWrite(this.store, (h) =>
        subscriptionsStore.updateNotifications(h, [row.seq], {
          last_result: result,
          next_attempt_date_time: new Date(now + this.retryDelay(row.attempts)).toISOString(),
        }),
      );
    }
    if (dropped.length > 0) await this.drop(dropped, result);
    return { rows, result: null };
  }

  private retryDelay(attempts: number): number {
    return this.timing.retryMs * 2 ** Math.min(attempts - 1, 20);
  }

  /** Past its retry window a notification is dropped, and the subscription's lifecycle URL told it `missed` some. */
  private async drop(rows: readonly Notification[], result: string): Promise<void> {
    await withTransaction(this.store, async (tx) => {
      await subscriptionsStore.updateNotifications(
        tx,
        rows.map((row) => row.seq),
        { status: 'dropped', last_result: result },
      );
      const missed = new Set(rows.filter((row) => row.kind === 'change').flatMap((row) => JSON.parse(row.subscription_ids) as string[]));
      for (const id of missed) {
        const subscription = await subscriptionsStore.findSubscription(tx, id);
        if (subscription !== undefined) await this.lifecycleEvent(tx, subscription, 'missed', new Date());
      }
    });
  }

  /** Removes expired subscriptions and sends the lifecycle notifications that are due. */
  async lifecycle(): Promise<void> {
    const now = new Date();
    await withTransaction(this.store, async (tx) => {
      // Another instance may take the same rows: only the one whose statement changed a row sends its event.
      for (const subscription of await subscriptionsStore.expiredSubscriptions(tx, now.toISOString(), 100)) {
        const { numDeletedRows } = await subscriptionsStore.deleteSubscription(tx, subscription.id);
        if (numDeletedRows > 0n) await this.lifecycleEvent(tx, subscription, 'subscriptionRemoved', now);
      }
      for (const subscription of await subscriptionsStore.dueForReauthorization(tx, new Date(now.getTime() + reauthorizeBeforeMs).toISOString(), 100)) {
        const { numUpdatedRows } = await subscriptionsStore.markReauthorizationSent(tx, subscription.id);
        if (numUpdatedRows > 0n) await this.lifecycleEvent(tx, subscription, 'reauthorizationRequired', now);
      }
      await subscriptionsStore.pruneNotifications(tx, new Date(now.getTime() - keepFinishedMs).toISOString());
    });
  }

  /** A lifecycle notification (change-notifications-lifecycle-events.md), for a subscription that has a lifecycle URL. */
  private async lifecycleEvent(h: Handle, subscription: SubscriptionTable, event: 'missed' | 'subscriptionRemoved' | 'reauthorizationRequired', now: Date) {
    if (subscription.lifecycle_notification_url === null) return;
    const item = {
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expiration_date_time,
      tenantId: subscription.tenant_id,
      clientState: subscription.client_state,
      lifecycleEvent: event,
    };
    const endpoint = { url: subscription.lifecycle_notification_url, audience: null, subscriptionIds: [subscription.id] };
    await subscriptionsStore.insertNotifications(h, [this.outboxRow(subscription.tenant_id, 'lifecycle', endpoint, item, now)]);
  }
}

/** Whether a change is one a subscription watches: its tenant, change type, resource, and the words or mention its query asks for. */
async function matches(
  h: Handle,
  subscription: SubscriptionTable,
  target: Target,
  { search, mentionedUserId }: MessageQuery,
  change: Change,
): Promise<boolean> {
  if (subscription.tenant_id !== change.tenant_id || !subscription.change_type.split(',').includes(change.change_type)) return false;
  if (target.kind.resource !== change.resource || !target.kind.matches(change, target.ids)) return false;
  if (target.ids.userId !== undefined && (await chatsStore.findMember(h, change.container_id, target.ids.userId)) === undefined) return false;
  if (search === null && mentionedUserId === null) return true;
  const message =
    change.channel_id === null
      ? await chatMessagesStore.findMessage(h, change.container_id, change.item_id ?? '')
      : await channelMessagesStore.findMessage(h, change.channel_id, change.item_id ?? '', change.reply_to_id);
  if (message === undefined) return false;
  if (search !== null && !`${message.subject ?? ''} ${message.body_content}`.toLowerCase().includes(search.toLowerCase())) return false;
  if (mentionedUserId !== null) {
    const mentions = JSON.parse(message.mentions) as { mentioned?: { user?: { id?: string } } }[];
    if (!mentions.some((mention) => mention.mentioned?.user?.id === mentionedUserId)) return false;
  }
  return true;
}

/** What leasing a row to this instance sets: an attempt, and the next one only once a POST can no longer be under way. */
function leaseOf(now: Date) {
  return { attempts: 1, last_attempt_date_time: now.toISOString(), next_attempt_date_time: new Date(now.getTime() + leaseMs).toISOString() };
}

/** Where one change's notifications go, and the subscriptions they are for. */
interface Endpoint {
  readonly url: string;
  readonly audience: string | null;
  readonly subscriptionIds: string[];
}

/** A leased outbox row and the items of it still to send (those of live subscriptions). */
interface Outgoing {
  readonly row: Notification;
  readonly items: readonly object[];
}

/** Rows for one URL, in POSTs of at most `batchMax` items (a row's items always travel together). */
function batches(outgoing: readonly Outgoing[]): Outgoing[][] {
  const byUrl = new Map<string, Outgoing[][]>();
  for (const entry of outgoing) {
    const posts = byUrl.get(entry.row.url) ?? [[]];
    const last = posts.at(-1) as Outgoing[];
    const count = last.reduce((sum, { items }) => sum + items.length, 0);
    if (last.length > 0 && count + entry.items.length > batchMax) posts.push([entry]);
    else last.push(entry);
    byUrl.set(entry.row.url, posts);
  }
  return [...byUrl.values()].flat();
}
