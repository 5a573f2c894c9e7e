import { X509Certificate, randomUUID } from 'node:crypto';
import { servicePrincipalIdOf } from '../../identity/tokens.ts';
import type { Store } from '../../store/db.ts';
import { StoreConflict } from '../../store/errors.ts';
import type { SubscriptionTable } from '../../store/schema.ts';
import { withSingleWrite, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, notFound } from '../../wire/errors.ts';
import type { SubscriptionsAccess } from './subscriptions.access.ts';
import type { SubscriptionCreateBody, SubscriptionUpdateBody } from './subscriptions.schemas.ts';
import * as subscriptionsStore from './subscriptions.store.ts';
import { type Target, type TargetKind, parseTarget, targetKinds } from './subscriptions.targets.ts';
import { assertWebhookUrl, validateEndpoint } from './webhooks.ts';

const minute = 60_000;
/** A shorter lifetime is lengthened to this (resources/subscription.md). */
const minLifetimeMinutes = 45;
const tlsVersions = ['v1_0', 'v1_1', 'v1_2', 'v1_3'];
const clientStateMax = 255;
const certificateIdMax = 128;
const mentionsFilter = /^mentions\/any\(\s*(\w+)\s*:\s*\1\/mentioned\/user\/id\s+eq\s+'([^']+)'\s*\)$/i;

const invalidRequest = (message: string) => new GraphError('InvalidRequest', message);
const subscriptionNotFound = (id: string) => notFound(`Subscription '${id}' was not found.`);

/** What a subscription's query options ask of a message: words it holds, a user it mentions. */
export interface MessageQuery {
  readonly search: string | null;
  readonly mentionedUserId: string | null;
}

/** Subscriptions to change notifications (api-reference/v1.0/resources/subscription.md). */
export class SubscriptionsService {
  constructor(
    private readonly store: Store,
    private readonly access: SubscriptionsAccess,
  ) {}

  async create(principal: Principal, body: SubscriptionCreateBody): Promise<SubscriptionTable> {
    const parsed = parseTarget(body.resource, principal.userId);
    if (parsed === null) throw invalidRequest(`Resource '${body.resource}' is not supported for change notifications.`);
    const target = await this.access.mayWatch(principal, parsed);
    const changeType = changeTypesOf(body.changeType, target.kind);
    messageQueryOf(target);
    assertWebhookUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleUrl = body.lifecycleNotificationUrl ?? null;
    if (lifecycleUrl !== null) assertWebhookUrl(lifecycleUrl, 'lifecycleNotificationUrl');
    const expiration = expirationOf(body.expirationDateTime, target.kind, lifecycleUrl);
    const clientState = body.clientState ?? null;
    if (clientState !== null && clientState.length > clientStateMax) throw invalidRequest(`clientState must be at most ${clientStateMax} characters.`);
    const tlsVersion = body.latestSupportedTlsVersion ?? 'v1_2';
    if (!tlsVersions.includes(tlsVersion)) throw invalidRequest(`latestSupportedTlsVersion must be one of ${tlsVersions.join(', ')}.`);
    const includeResourceData = body.includeResourceData === true;
    // Graph's tables offer resource data for every Teams resource, and for group conversations none.
    if (includeResourceData && !target.kind.isTeams) throw invalidRequest(`includeResourceData is not supported on ${target.kind.path}.`);
    const certificate =
      includeResourceData || body.encryptionCertificate != null ? certificateOf(body.encryptionCertificate, body.encryptionCertificateId) : null;
    // Both endpoints answer the handshake before anything is stored (subscription-post-subscriptions.md).
    await validateEndpoint(body.notificationUrl);
    if (lifecycleUrl !== null) await validateEndpoint(lifecycleUrl);
    const now = new Date();
    const row: SubscriptionTable = {
      id: randomUUID(),
      tenant_id: principal.tenantId,
      application_id: principal.appId,
      // resources/subscription.md: the signed-in user, or the application's service principal.
      creator_id: principal.userId ?? servicePrincipalIdOf(principal.appId),
      user_id: principal.userId,
      resource: body.resource,
      target: JSON.stringify({ path: target.kind.path, ids: target.ids, query: target.query }),
      change_type: changeType,
      notification_url: body.notificationUrl,
      lifecycle_notification_url: lifecycleUrl,
      client_state: clientState,
      expiration_date_time: expiration,
      include_resource_data: includeResourceData ? 1 : 0,
      encryption_certificate: certificate?.encoded ?? null,
      encryption_certificate_id: certificate?.id ?? null,
      latest_supported_tls_version: tlsVersion,
      notification_query_options: body.notificationQueryOptions ?? null,
      notification_url_app_id: body.notificationUrlAppId ?? null,
      created_date_time: now.toISOString(),
      reauthorize_after: null,
    };
    try {
      await withTransaction(this.store, async (tx) => {
        await subscriptionsStore.deleteExpiredTwin(tx, row, now.toISOString());
        await subscriptionsStore.insertSubscription(tx, row);
      });
    } catch (err) {
      if (!(err instanceof StoreConflict)) throw err;
      const twin = await subscriptionsStore.findTwin(this.store.db, row);
      throw new GraphError('Conflict', `Subscription Id ${twin?.id ?? ''} already exists for the requested combination`);
    }
    return row;
  }

  list(principal: Principal): Promise<SubscriptionTable[]> {
    return subscriptionsStore.listSubscriptions(this.store.db, principal.tenantId, principal.appId, principal.userId, new Date().toISOString());
  }

  /** A live subscription the caller sees; an expired one is gone, as Graph removes it (subscription-update.md). */
  async get(principal: Principal, id: string): Promise<SubscriptionTable> {
    const row = await subscriptionsStore.findSubscription(this.store.db, id);
    if (row === undefined || !this.access.sees(principal, row) || row.expiration_date_time <= new Date().toISOString()) throw subscriptionNotFound(id);
    return row;
  }

  /** Renews it, moves its notification URL (validated again), or rotates its certificate (subscription-update.md). */
  async update(principal: Principal, id: string, body: SubscriptionUpdateBody): Promise<SubscriptionTable> {
    const row = await this.get(principal, id);
    if (body.expirationDateTime === undefined && body.notificationUrl === undefined && body.encryptionCertificate === undefined) {
      throw invalidRequest('The request body must contain expirationDateTime or notificationUrl.');
    }
    const kind = targetOf(row).kind;
    const changes: Partial<SubscriptionTable> = {};
    if (body.expirationDateTime !== undefined) {
      changes.expiration_date_time = expirationOf(body.expirationDateTime, kind, row.lifecycle_notification_url);
      // Renewing also reauthorizes (change-notifications-lifecycle-events.md).
      changes.reauthorize_after = null;
    }
    if (body.encryptionCertificate !== undefined) {
      const certificate = certificateOf(body.encryptionCertificate, body.encryptionCertificateId ?? row.encryption_certificate_id);
      changes.encryption_certificate = certificate.encoded;
      changes.encryption_certificate_id = certificate.id;
    }
    if (body.notificationUrl !== undefined && body.notificationUrl !== row.notification_url) {
      assertWebhookUrl(body.notificationUrl, 'notificationUrl');
      await validateEndpoint(body.notificationUrl);
      changes.notification_url = body.notificationUrl;
    }
    const { numUpdatedRows } = await withSingleWrite(this.store, (h) => subscriptionsStore.updateSubscription(h, row.id, changes));
    if (numUpdatedRows === 0n) throw subscriptionNotFound(id);
    return { ...row, ...changes };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const row = await this.get(principal, id);
    await withSingleWrite(this.store, (h) => subscriptionsStore.deleteSubscription(h, row.id));
  }

  /** subscription-reauthorize.md: the caller still may watch the resource; the expiration is unchanged. */
  async reauthorize(principal: Principal, id: string): Promise<void> {
    const row = await this.get(principal, id);
    await this.access.mayWatch(principal, targetOf(row));
    await withSingleWrite(this.store, (h) => subscriptionsStore.updateSubscription(h, row.id, { reauthorize_after: null }));
  }
}

/** A stored subscription's target, as it was understood when it was made. */
export function targetOf(row: SubscriptionTable): Target {
  const stored = JSON.parse(row.target) as { path: string; ids: Record<string, string>; query: Record<string, string> };
  const kind = targetKinds.find((known) => known.path === stored.path);
  if (kind === undefined) throw new Error(`subscription ${row.id} names a resource no longer known: ${stored.path}`);
  return { kind, ids: stored.ids, query: stored.query };
}

/** The `$search` and mentions `$filter` a message subscription gives (teams-changenotifications-chatmessage.md). */
export function messageQueryOf({ kind, query }: Target): MessageQuery {
  for (const name of Object.keys(query)) {
    if (!(kind.query as readonly string[]).includes(name)) throw invalidRequest(`The query option '${name}' is not supported on ${kind.path}.`);
  }
  const filter = query.$filter;
  const mentioned = filter === undefined ? null : mentionsFilter.exec(filter.trim());
  if (filter !== undefined && mentioned === null)
    throw invalidRequest(`Only $filter=mentions/any(u: u/mentioned/user/id eq '{userId}') is supported on ${kind.path}.`);
  return { search: query.$search?.replace(/^"(.*)"$/, '$1') ?? null, mentionedUserId: mentioned?.[2] ?? null };
}

function changeTypesOf(value: string, kind: TargetKind): string {
  const types = value.split(',').map((type) => type.trim());
  for (const type of types) {
    if (!(kind.changeTypes as readonly string[]).includes(type)) {
      throw invalidRequest(`changeType '${type}' is not supported on ${kind.path}; it takes ${kind.changeTypes.join(', ')}.`);
    }
  }
  if (new Set(types).size !== types.length) throw invalidRequest(`changeType '${value}' names a change type twice.`);
  return kind.changeTypes.filter((type) => types.includes(type)).join(',');
}

/** Graph's lifetime rules (resources/subscription.md): at least 45 minutes, at most the resource's maximum, an hour without a lifecycle URL on Teams. */
function expirationOf(value: string, kind: TargetKind, lifecycleUrl: string | null): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalidRequest(`expirationDateTime '${value}' is not a valid date and time.`);
  const now = Date.now();
  if (at > now + kind.maxMinutes * minute) throw invalidRequest(`Subscription expiration can only be ${kind.maxMinutes} minutes in the future.`);
  if (kind.isTeams && lifecycleUrl === null && at > now + 60 * minute) {
    throw invalidRequest(
      'lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.',
    );
  }
  return new Date(Math.max(at, now + minLifetimeMinutes * minute)).toISOString();
}

/** The certificate rich notifications are encrypted for: base64 of an X.509 certificate with an RSA key (change-notifications-with-resource-data.md). */
function certificateOf(encoded: string | null | undefined, id: string | null | undefined): { encoded: string; id: string } {
  if (encoded == null || encoded === '') throw invalidRequest('encryptionCertificate is required when includeResourceData is true.');
  if (id == null || id === '') throw invalidRequest('encryptionCertificateId is required when includeResourceData is true.');
  if (id.length > certificateIdMax) throw invalidRequest(`encryptionCertificateId must be at most ${certificateIdMax} characters.`);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(encoded, 'base64'));
  } catch {
    throw invalidRequest('Certificate validation error: encryptionCertificate is not a base64-encoded X.509 certificate.');
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') throw invalidRequest('Certificate validation error: the certificate must hold an RSA key.');
  return { encoded, id };
}
