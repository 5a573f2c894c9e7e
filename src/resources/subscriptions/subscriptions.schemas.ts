import Type, { type Static } from 'typebox';
import type { SubscriptionTable } from '../../store/schema.ts';

// api-reference/v1.0/resources/subscription.md. Read-only properties are accepted and ignored, as
// Graph ignores them (decision 127).
const readOnly = Type.Optional(Type.Unknown());
const text = Type.Optional(Type.Union([Type.String(), Type.Null()]));

export const SubscriptionCreateBody = Type.Object(
  {
    '@odata.type': Type.Optional(Type.String()),
    changeType: Type.String(),
    notificationUrl: Type.String(),
    resource: Type.String(),
    expirationDateTime: Type.String(),
    lifecycleNotificationUrl: text,
    clientState: text,
    includeResourceData: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    encryptionCertificate: text,
    encryptionCertificateId: text,
    latestSupportedTlsVersion: text,
    notificationQueryOptions: text,
    notificationUrlAppId: text,
    notificationContentType: text,
    id: readOnly,
    applicationId: readOnly,
    creatorId: readOnly,
  },
  { additionalProperties: false, title: 'microsoft.graph.subscription' },
);
export type SubscriptionCreateBody = Static<typeof SubscriptionCreateBody>;

/** subscription-update.md: a renewal, a new notification URL, or a new certificate (change-notifications-with-resource-data.md). */
export const SubscriptionUpdateBody = Type.Object(
  {
    '@odata.type': Type.Optional(Type.String()),
    expirationDateTime: Type.Optional(Type.String()),
    notificationUrl: Type.Optional(Type.String()),
    encryptionCertificate: text,
    encryptionCertificateId: text,
  },
  { additionalProperties: false, title: 'microsoft.graph.subscription' },
);
export type SubscriptionUpdateBody = Static<typeof SubscriptionUpdateBody>;

export const subscriptionProperties = [
  'id',
  'resource',
  'applicationId',
  'changeType',
  'clientState',
  'notificationUrl',
  'lifecycleNotificationUrl',
  'expirationDateTime',
  'creatorId',
  'includeResourceData',
  'encryptionCertificate',
  'encryptionCertificateId',
  'latestSupportedTlsVersion',
  'notificationQueryOptions',
  'notificationUrlAppId',
  'notificationContentType',
] as const;

/**
 * A subscription as Graph answers it. The certificate is never sent back (the examples of
 * subscription-update.md show it empty); a list leaves out clientState "for security purposes"
 * (subscription-list.md).
 */
export function subscriptionJson(row: SubscriptionTable, { inList }: { inList: boolean }): Record<string, unknown> {
  return {
    id: row.id,
    resource: row.resource,
    applicationId: row.application_id,
    changeType: row.change_type,
    clientState: inList ? null : row.client_state,
    notificationUrl: row.notification_url,
    notificationQueryOptions: row.notification_query_options,
    lifecycleNotificationUrl: row.lifecycle_notification_url,
    expirationDateTime: row.expiration_date_time,
    creatorId: row.creator_id,
    includeResourceData: row.include_resource_data === 1,
    latestSupportedTlsVersion: row.latest_supported_tls_version,
    encryptionCertificate: row.encryption_certificate === null ? null : '',
    encryptionCertificateId: row.encryption_certificate_id,
    notificationUrlAppId: row.notification_url_app_id,
    notificationContentType: 'application/json',
  };
}
