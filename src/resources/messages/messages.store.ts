import type { SelectQueryBuilder } from 'kysely';
import { allOf } from '../../store/columns.ts';
import type { Database, MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import type { MessageRow } from './messages.schemas.ts';

/**
 * A page of chat or channel messages with their senders' names and tenants, read after the page in
 * one read for all its senders. Joined in the page's query, the users let PostgreSQL, on statistics
 * taken while the conversation was small, hash-join and sort the whole conversation for every page
 * (docs/decisions.md 43); a page read from the messages alone always walks their index.
 */
export async function withSenders(h: Handle, page: readonly MessageTable[]): Promise<MessageRow[]> {
  const senderIds = [...new Set(page.flatMap((row) => (row.from_user_id === null ? [] : [row.from_user_id])))];
  const senders = senderIds.length === 0 ? [] : await h.selectFrom('users').select(['id', 'display_name', 'tenant_id']).where('id', 'in', senderIds).execute();
  const byId = new Map(senders.map((sender) => [sender.id, sender]));
  const rows = page as MessageRow[]; // the rows are the page's own: names are added in place
  for (const row of rows) {
    const sender = row.from_user_id === null ? undefined : byId.get(row.from_user_id);
    row.from_display_name = sender?.display_name ?? null;
    row.from_tenant_id = sender?.tenant_id ?? null;
  }
  return rows;
}

/** Each message of `messages` with its sender's name and tenant joined, for reads by key. */
export function joinSenders<O>(messages: SelectQueryBuilder<Database, 'messages', O>) {
  return messages
    .leftJoin('users', 'users.id', 'messages.from_user_id')
    .select(allOf('messages'))
    .select(['users.display_name as from_display_name', 'users.tenant_id as from_tenant_id']);
}
