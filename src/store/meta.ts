import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

/**
 * A secret every instance on one database shares (e.g. the $skiptoken signing key): the first
 * instance creates it, the others read it.
 */
export async function loadOrCreateSecret(db: Db, key: string): Promise<Buffer> {
  await db
    .insertInto('meta')
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
