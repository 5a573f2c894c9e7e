import type { OperationTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

export function insertOperation(h: Handle, row: OperationTable) {
  return h.insertInto('operations').values(row).execute();
}

export function findOperation(h: Handle, parentKind: OperationTable['parent_kind'], parentId: string, operationId: string) {
  return h
    .selectFrom('operations')
    .select(allOf('operations'))
    .where('parent_kind', '=', parentKind)
    .where('parent_id', '=', parentId)
    .where('id', '=', operationId)
    .executeTakeFirst();
}

export function listOperations(h: Handle, parentKind: OperationTable['parent_kind'], parentId: string) {
  return h
    .selectFrom('operations')
    .select(allOf('operations'))
    .where('parent_kind', '=', parentKind)
    .where('parent_id', '=', parentId)
    .orderBy('created_date_time')
    .orderBy('id')
    .execute();
}

/**
 * The next unfinished operation that is due, locked for this transaction. On PostgreSQL other
 * instances skip the locked row (FOR UPDATE SKIP LOCKED); SQLite has a single writer anyway.
 */
export function claimDueOperation(h: Handle, isPostgres: boolean, now: string) {
  return h
    .selectFrom('operations')
    .select(allOf('operations'))
    .where('status', 'in', ['notStarted', 'inProgress'])
    .where('run_after', '<=', now)
    .orderBy('run_after')
    .limit(1)
    .$if(isPostgres, (query) => query.forUpdate().skipLocked())
    .executeTakeFirst();
}

export function updateOperation(h: Handle, id: string, changes: Partial<Omit<OperationTable, 'id'>>) {
  return h.updateTable('operations').set(changes).where('id', '=', id).execute();
}
