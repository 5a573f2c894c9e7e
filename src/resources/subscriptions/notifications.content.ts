import { X509Certificate, constants, createCipheriv, createHmac, publicEncrypt, randomBytes } from 'node:crypto';
import type { KeyRing } from '../../identity/keys.ts';
import { notificationValidationToken } from '../../identity/tokens.ts';
import type { Change, Notification, SubscriptionTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import * as channelMessagesStore from '../channels/channel-messages.store.ts';
import { channelMessageJson } from '../channels/channel-messages.schemas.ts';
import { channelJson, conversationMemberJson } from '../channels/channels.schemas.ts';
import * as channelsStore from '../channels/channels.store.ts';
import * as chatMessagesStore from '../chats/chat-messages.store.ts';
import { chatJson, memberJson } from '../chats/chats.schemas.ts';
import * as chatsStore from '../chats/chats.store.ts';
import * as groupsStore from '../groups/groups.store.ts';
import { chatMessageJson, senderOf } from '../messages/messages.schemas.ts';
import { teamJson } from '../teams/teams.schemas.ts';
import * as teamsStore from '../teams/teams.store.ts';
import * as usersStore from '../users/users.store.ts';
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

/** The changed resource as its GET writes it, read now through its family's store; undefined when it is gone. */
async function resourceJson(h: Handle, change: Change): Promise<object | undefined> {
  const item = change.item_id ?? '';
  const userId = item.split('##').at(-1) ?? '';
  switch (change.resource) {
    case 'chatMessage': {
      const row = await chatMessagesStore.findMessage(h, change.container_id, item);
      return row === undefined ? undefined : chatMessageJson(row, senderOf(row), null, null);
    }
    case 'channelMessage': {
      const row = await channelMessagesStore.findMessage(h, change.channel_id ?? '', item, change.reply_to_id);
      return row === undefined ? undefined : channelMessageJson(row);
    }
    case 'chat': {
      const row = await chatsStore.findChat(h, change.container_id);
      return row === undefined ? undefined : chatJson(row, false);
    }
    case 'team': {
      const row = await teamsStore.findTeam(h, change.tenant_id, change.container_id);
      return row === undefined ? undefined : teamJson(row);
    }
    case 'channel': {
      const row = await channelsStore.findChannel(h, change.channel_id ?? '');
      return row === undefined ? undefined : channelJson(row, false);
    }
    case 'chatMember': {
      const row = await chatsStore.findMember(h, change.container_id, userId);
      return row === undefined ? undefined : memberJson(row);
    }
    case 'teamMember': {
      const [user, membership] = await Promise.all([
        usersStore.findUser(h, change.tenant_id, userId),
        groupsStore.findMembership(h, change.container_id, userId),
      ]);
      return user === undefined || membership === undefined
        ? undefined
        : conversationMemberJson(change.container_id, user, membership.role === 'owner' ? ['owner'] : []);
    }
    case 'channelMember': {
      const channelId = change.channel_id ?? '';
      const [user, membership] = await Promise.all([usersStore.findUser(h, change.tenant_id, userId), channelsStore.findMember(h, channelId, userId)]);
      return user === undefined || membership === undefined ? undefined : conversationMemberJson(channelId, user, JSON.parse(membership.roles) as string[]);
    }
    case 'conversation':
      return undefined;
  }
}
