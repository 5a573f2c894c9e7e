import Type, { type Static } from 'typebox';
import type { MessageTable } from '../../store/schema.ts';
import { Importance, ItemBody, chatMessageJson, senderOf } from '../messages/messages.schemas.ts';

// Only `body` is required (channel-post-messages.md); `createdDateTime` and `from` only when importing.
export const ChannelMessageBody = Type.Object({
  body: ItemBody,
  subject: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  importance: Type.Optional(Importance),
  createdDateTime: Type.Optional(Type.String()),
  from: Type.Optional(Type.Object({ user: Type.Optional(Type.Object({ id: Type.String({ minLength: 1 }) })) })),
  attachments: Type.Optional(Type.Array(Type.Object({}))),
  mentions: Type.Optional(Type.Array(Type.Object({}))),
});
export type ChannelMessageBody = Static<typeof ChannelMessageBody>;

/** A channel message as Graph writes it: channelIdentity, no chatId, and a webUrl into Teams. */
export function channelMessageJson(row: MessageTable): Record<string, unknown> {
  const teamId = row.team_id ?? '';
  const root = row.reply_to_id ?? row.id;
  const webUrl = `https://teams.microsoft.com/l/message/${encodeURIComponent(row.container_id)}/${row.id}?groupId=${teamId}&tenantId=${row.from_tenant_id ?? ''}&createdTime=${row.id}&parentMessageId=${root}`;
  return chatMessageJson(row, senderOf(row), webUrl, { teamId, channelId: row.container_id });
}
