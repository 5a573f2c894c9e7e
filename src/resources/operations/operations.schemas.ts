import type { OperationTable } from '../../store/schema.ts';

// teamsAsyncOperationType members after unknownFutureValue are evolvable: Graph returns them as
// unknownFutureValue unless the request says `Prefer: include-unknown-enum-members`
// (graph-surface.md 1.12).
const evolvableOperationTypes = new Set(['teamifyGroup', 'createChannel', 'archiveChannel', 'unarchiveChannel', 'createChat']);

export const operationProperties = [
  'id',
  'operationType',
  'createdDateTime',
  'status',
  'lastActionDateTime',
  'attemptsCount',
  'targetResourceId',
  'targetResourceLocation',
  'error',
] as const;

export function operationJson(row: OperationTable, includesUnknownEnumMembers: boolean): Record<(typeof operationProperties)[number], unknown> {
  return {
    id: row.id,
    operationType: evolvableOperationTypes.has(row.operation_type) && !includesUnknownEnumMembers ? 'unknownFutureValue' : row.operation_type,
    createdDateTime: row.created_date_time,
    status: row.status,
    lastActionDateTime: row.last_action_date_time,
    attemptsCount: row.attempts_count,
    targetResourceId: row.target_resource_id,
    targetResourceLocation: row.target_resource_location,
    error: row.error === null ? null : (JSON.parse(row.error) as unknown),
  };
}
