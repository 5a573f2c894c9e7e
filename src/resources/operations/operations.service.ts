import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/db.ts';
import type { OperationTable } from '../../store/schema.ts';
import { type Handle, withSingleWrite, withTransaction } from '../../store/transaction.ts';
import { notFound } from '../../wire/errors.ts';
import * as operationsStore from './operations.store.ts';

/** Finishes one kind of operation inside the worker's transaction; may name the resource it made. */
export type OperationHandler = (tx: Handle, operation: OperationTable) => Promise<{ targetResourceId?: string; targetResourceLocation?: string } | undefined>;

export interface NewOperation {
  readonly id?: string;
  readonly tenantId: string;
  readonly parentKind: OperationTable['parent_kind'];
  readonly parentId: string;
  readonly operationType: string;
  readonly targetResourceId?: string;
  readonly targetResourceLocation?: string;
  readonly payload: unknown;
}

const batchMax = 20;
export const pollBackoffMaxMs = 30_000;

/** The wait before the next poll: `interval`, doubled for each failure in a row, at most `pollBackoffMaxMs`. */
export function pollDelay(interval: number, failures: number): number {
  return Math.min(interval * 2 ** failures, pollBackoffMaxMs); // past 2^1023, Infinity: still the ceiling
}

/**
 * Runs `pass` every `interval` until the returned function is called; that function resolves once the
 * pass in progress, if any, has finished, so that the database can then be closed under no pass. A
 * pass that answers true found more work than it took, and the next comes at once. While the database
 * fails (down, restarting, unreachable), each failure doubles the wait before the next pass, up to
 * `pollBackoffMaxMs`: a pass is a connection attempt and a log line, and ten of each a second from
 * every instance would only add to the outage. The first pass that succeeds restores the pace.
 */
export function startPolling(interval: number, pass: () => Promise<boolean>, onError: (err: unknown) => void): () => Promise<void> {
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  const schedule = (busy: boolean) => {
    timer = setTimeout(poll, busy ? 0 : pollDelay(interval, failures));
    timer.unref();
  };
  const poll = () => {
    let busy = false;
    polling = pass()
      .then(
        (found) => {
          failures = 0;
          busy = found;
        },
        (err: unknown) => {
          failures++;
          onError(err);
        },
      )
      .finally(() => {
        if (!stopped) schedule(busy);
      });
  };
  schedule(false);
  return () => {
    stopped = true;
    clearTimeout(timer);
    return polling;
  };
}

/**
 * Operations Graph answers with 202 Accepted. A request inserts a row in its own transaction; a
 * worker in every instance moves due rows notStarted -> inProgress -> succeeded (or failed), one
 * step per `delayMs`, claiming each row so that two instances never run the same step.
 */
export class OperationsService {
  private readonly handlers = new Map<string, OperationHandler>();

  constructor(
    private readonly store: Store,
    private readonly delayMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  register(operationType: string, handler: OperationHandler): void {
    this.handlers.set(operationType, handler);
  }

  /** Records a new operation inside the caller's transaction, so it exists only if the request commits. */
  async enqueue(tx: Handle, operation: NewOperation): Promise<OperationTable> {
    const now = new Date();
    const row: OperationTable = {
      id: operation.id ?? randomUUID(),
      tenant_id: operation.tenantId,
      parent_kind: operation.parentKind,
      parent_id: operation.parentId,
      operation_type: operation.operationType,
      status: 'notStarted',
      target_resource_id: operation.targetResourceId ?? null,
      target_resource_location: operation.targetResourceLocation ?? null,
      payload: JSON.stringify(operation.payload),
      error: null,
      attempts_count: 0,
      created_date_time: now.toISOString(),
      last_action_date_time: now.toISOString(),
      run_after: new Date(now.getTime() + this.delayMs).toISOString(),
    };
    await operationsStore.insertOperation(tx, row);
    return row;
  }

  async get(tenantId: string, parentKind: OperationTable['parent_kind'], parentId: string, operationId: string): Promise<OperationTable> {
    const row = await operationsStore.findOperation(this.store.db, parentKind, parentId, operationId);
    if (row === undefined || row.tenant_id !== tenantId) throw notFound(`No operation found with id ${operationId}`);
    return row;
  }

  list(parentKind: OperationTable['parent_kind'], parentId: string): Promise<OperationTable[]> {
    return operationsStore.listOperations(this.store.db, parentKind, parentId);
  }

  /** Advances every due operation by one step; returns how many steps ran. */
  async runDue(): Promise<number> {
    let steps = 0;
    while (steps < batchMax && (await this.step())) steps++;
    return steps;
  }

  /** Polls for due work (startPolling) until the returned function is called; each poll runs what is due, then waits. */
  start(): () => Promise<void> {
    const interval = Math.max(10, Math.min(this.delayMs, 100));
    return startPolling(
      interval,
      async () => {
        await this.runDue();
        return false;
      },
      this.onError,
    );
  }

  private async step(): Promise<boolean> {
    const failure: { current: { id: string; attempts: number; message: string } | null } = { current: null };
    const didStep = await withTransaction(this.store, async (tx) => {
      const now = new Date();
      const operation = await operationsStore.claimDueOperation(tx, this.store.kind === 'postgres', now.toISOString());
      if (operation === undefined) return false;
      if (operation.status === 'notStarted') {
        await operationsStore.updateOperation(tx, operation.id, {
          status: 'inProgress',
          attempts_count: operation.attempts_count + 1,
          last_action_date_time: now.toISOString(),
          run_after: new Date(now.getTime() + this.delayMs).toISOString(),
        });
        return true;
      }
      const handler = this.handlers.get(operation.operation_type);
      try {
        if (handler === undefined) throw new Error(`no handler for ${operation.operation_type} operations`);
        const target = await handler(tx, operation);
        await operationsStore.updateOperation(tx, operation.id, {
          status: 'succeeded',
          last_action_date_time: new Date().toISOString(),
          target_resource_id: target?.targetResourceId ?? operation.target_resource_id,
          target_resource_location: target?.targetResourceLocation ?? operation.target_resource_location,
        });
      } catch (err) {
        // A foreign key refuses work under a resource deleted since the operation began (a chat, a team).
        const message = this.store.errorKind(err) === 'foreignKey' ? 'The resource the operation works on was deleted.' : (err as Error).message;
        failure.current = { id: operation.id, attempts: operation.attempts_count, message };
        throw err;
      }
      return true;
    }).catch(async (err: unknown) => {
      if (failure.current === null) throw err;
      // The handler's partial work rolled back with its transaction; the failure itself is recorded.
      const { id, attempts, message } = failure.current;
      await withSingleWrite(this.store, (h) =>
        operationsStore.updateOperation(h, id, {
          status: 'failed',
          attempts_count: attempts,
          last_action_date_time: new Date().toISOString(),
          error: JSON.stringify({ code: 'OperationFailed', message }),
        }),
      );
      return true;
    });
    return didStep;
  }
}
