import { X509Certificate, constants, createCipheriv, createHmac, publicEncrypt, randomBytes } from 'node:crypto';
import type { KeyRing } from '../../identity/keys.ts';
import { notificationValidationToken } from '../../identity/tokens.ts';
import { allOf } from '../../store/columns.ts';
import type { Change, Notification, SubscriptionTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { channelMessageJson } from '../channels/channel-messages.schemas.ts';
import { channelJson, conversationMemberJson } from '../channels/channels.schemas.ts';
import { chatJson, memberJson } from '../chats/chats.schemas.ts';
import { chatMessageJson, senderOf } from '../messages/messages.schemas.ts';
import { teamJson } from '../teams/teams.schemas.ts';
import { changedResource } from './subscriptions.targets.ts';

/** What a notification with resource data carries (api-reference/v1.0/resources/changenotificationencryptedcontent.md). */
export interface EncryptedContent {
  readonly data: string;
  readonly dataSignature: string;
  readonly dataKey: string;
  readonly encryptionCertificateId: string;
  readonly encryptionCertificateThumbprint: string;
}

/**
 * Rich notifications (concepts/change-notifications-with-resource-data.md): the changed resource as
 * a GET answers it, encrypted for the subscriber's certificate, and validation tokens signed by
 * teamgraph's authority, which the subscriber checks against the published keys.
 */
export class RichContent {
  constructor(private readonly keys: KeyRing) {}

  async encrypted(h: Handle, subscription: SubscriptionTable, change: Change): Promise<EncryptedContent> {
    const resource = (await resourceJson(h, change)) ?? { id: changedResource(change).id };
    return encrypt(JSON.stringify(resource), subscription.encryption_certificate ?? '', subscription.encryption_certificate_id ?? '');
  }

  /** One token per application and tenant among the rich notifications of a POST; null when it holds none. */
  async validationTokens(batch: readonly Notification[]): Promise<string[] | null> {
    const pairs = new Map<string, { tenantId: string; audience: string }>();
    for (const row of batch)
      if (row.token_audience !== null) pairs.set(`${row.tenant_id} ${row.token_audience}`, { tenantId: row.tenant_id, audience: row.token_audience });
    if (pairs.size === 0) return null;
    return Promise.all([...pairs.values()].map(({ tenantId, audience }) => notificationValidationToken(this.keys, tenantId, audience)));
  }
}

/**
 * Graph's documented steps, reversed: a random 256-bit key; the data AES-256-CBC with PKCS7 padding
 * under it, the key's first 16 bytes as IV; an HMAC-SHA256 of the encrypted bytes under it; the key
 * wrapped with RSA-OAEP (SHA-1) under the certificate's public key; the thumbprint the SHA-1 of the certificate.
 */
function encrypt(json: string, certificateBase64: string, certificateId: string): EncryptedContent {
  const certificate = new X509Certificate(Buffer.from(certificateBase64, 'base64'));
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  return {
    data: data.toString('base64'),
    dataSignature: createHmac('sha256', key).update(data).digest('base64'),
    dataKey: publicEncrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key).toString('base64'),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: certificate.fingerprint.replaceAll(':', ''),
  };
}

/** The changed resource as its GET writes it, read now; undefined when it is gone. */
async function resourceJson(h: Handle, change: Change): Promise<object | undefined> {
  const item = change.item_id ?? '';
  const userOf = (membership: string) => membership.split('##').at(-1) ?? '';
  switch (change.resource) {
    case 'chatMessage':
    case 'channelMessage': {
      const container = change.channel_id ?? change.container_id;
      const row = await h.selectFrom('messages').select(allOf('messages')).where('container_id', '=', container).where('id', '=', item).executeTakeFirst();
      if (row === undefined) return undefined;
      return change.resource === 'chatMessage' ? chatMessageJson(row, senderOf(row), null, null) : channelMessageJson(row);
    }
    case 'chat': {
      const row = await h.selectFrom('chats').select(allOf('chats')).where('id', '=', change.container_id).executeTakeFirst();
      return row === undefined ? undefined : chatJson(row, false);
    }
    case 'team': {
      const row = await h.selectFrom('teams').select(allOf('teams')).where('id', '=', change.container_id).executeTakeFirst();
      return row === undefined ? undefined : teamJson(row);
    }
    case 'channel': {
      const row = await h
        .selectFrom('channels')
        .select(allOf('channels'))
        .where('id', '=', change.channel_id ?? '')
        .executeTakeFirst();
      return row === undefined ? undefined : channelJson(row, false);
    }
    case 'chatMember': {
      const row = await h
        .selectFrom('chat_members')
        .innerJoin('users', 'users.id', 'chat_members.user_id')
        .select([...allOf('chat_members'), 'users.display_name', 'users.mail'])
        .where('chat_members.chat_id', '=', change.container_id)
        .where('chat_members.user_id', '=', userOf(item))
        .executeTakeFirst();
      return row === undefined ? undefined : memberJson(row);
    }
    case 'teamMember':
    case 'channelMember': {
      const user = await h.selectFrom('users').select(allOf('users')).where('id', '=', userOf(item)).executeTakeFirst();
      const roles =
        change.resource === 'teamMember'
          ? (
              await h
                .selectFrom('group_members')
                .select('role')
                .where('group_id', '=', change.container_id)
                .where('user_id', '=', userOf(item))
                .executeTakeFirst()
            )?.role
          : (
              await h
                .selectFrom('channel_members')
                .select('roles')
                .where('channel_id', '=', change.channel_id ?? '')
                .where('user_id', '=', userOf(item))
                .executeTakeFirst()
            )?.roles;
      if (user === undefined || roles === undefined) return undefined;
      const roleList = change.resource === 'teamMember' ? (roles === 'owner' ? ['owner'] : []) : (JSON.parse(roles) as string[]);
      return conversationMemberJson(change.channel_id ?? change.container_id, user, roleList);
    }
    case 'conversation':
      return undefined;
  }
}
