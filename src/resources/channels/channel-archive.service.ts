import type { Store } from '../../store/db.ts';
import type { ChannelTable, OperationTable } from '../../store/schema.ts';
import { type Handle, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden } from '../../wire/errors.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import type { ChannelAccess } from './channels.access.ts';
import * as channelsStore from './channels.store.ts';

/**
 * channel: archive and unarchive (channel-archive.md, channel-unarchive.md): asynchronous, refused
 * while the team is archived or when the channel has no owner; the flag flips when the operation succeeds.
 */
export class ChannelArchiveService {
  constructor(
    private readonly store: Store,
    private readonly access: ChannelAccess,
    private readonly operations: OperationsService,
  ) {
    operations.register('archiveChannel', (tx, operation) => setArchived(tx, operation, 1));
    operations.register('unarchiveChannel', (tx, operation) => setArchived(tx, operation, 0));
  }

  async setArchived(principal: Principal, teamId: string, channelId: string, isArchived: boolean): Promise<{ teamId: string; operationId: string }> {
    const { team, channel } = await this.access.channel(principal, teamId, channelId, 'change archiving');
    if (!(await this.access.ownsChannel(principal, channel))) throw forbidden('Only an owner of the channel can archive or unarchive it.');
    if ((await this.ownersCount(channel)) === 0)
      throw badRequest(`Channel ${channel.id} has no owner; a channel without an owner cannot be archived or unarchived.`);
    const operation = await withTransaction(this.store, (tx) =>
      this.operations.enqueue(tx, {
        tenantId: team.tenant_id,
        parentKind: 'team',
        parentId: team.id,
        operationType: isArchived ? 'archiveChannel' : 'unarchiveChannel',
        targetResourceId: channel.id,
        targetResourceLocation: `/teams('${team.id}')/channels('${channel.id}')`,
        payload: { channelId: channel.id },
      }),
    );
    return { teamId: team.id, operationId: operation.id };
  }

  /** A standard channel's owners are its team's. */
  private async ownersCount(channel: ChannelTable): Promise<number> {
    if (channel.membership_type === 'standard') return (await this.access.teamCounts(channel.team_id)).owners;
    return Number((await channelsStore.countMembers(this.store.db, channel.id)).owners ?? 0);
  }
}

async function setArchived(tx: Handle, operation: OperationTable, isArchived: 0 | 1): Promise<undefined> {
  const { channelId } = JSON.parse(operation.payload) as { channelId: string };
  await channelsStore.updateChannel(tx, channelId, { is_archived: isArchived });
  return undefined;
}
