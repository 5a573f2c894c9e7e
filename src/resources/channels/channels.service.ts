import { randomBytes } from 'node:crypto';
import type { FilterNode, ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import { StoreConflict, StoreParentMissing } from '../../store/errors.ts';
import type { ChannelTable, OperationTable, TeamTable } from '../../store/schema.ts';
import type { NewTeamChannel } from '../teams/teams.schemas.ts';
import { teamNotFound } from '../teams/teams.rules.ts';
import { type Handle, withSingleWrite, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, badRequest, forbidden } from '../../wire/errors.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import { type ChannelMembersService, type ResolvedMember, memberRow } from './channel-members.service.ts';
import type { ChannelAccess } from './channels.access.ts';
import { assertChannelName, validateCreate } from './channels.rules.ts';
import type { ChannelCreateBody, ChannelUpdateBody } from './channels.schemas.ts';
import * as channelsStore from './channels.store.ts';

export { channelColumns as channelFields } from './channels.store.ts';

export type ChannelCreated =
  { readonly kind: 'created'; readonly channel: ChannelTable } | { readonly kind: 'accepted'; readonly teamId: string; readonly operationId: string };

interface SharedChannelPayload {
  readonly channel: ChannelTable;
  readonly members: readonly { userId: string; roles: readonly string[] }[];
  readonly sharedWithTeamIds: readonly string[];
}

/** A channel id as Teams writes them; a team's internalId has the same form. */
export const newChannelId = () => `19:${randomBytes(16).toString('hex')}@thread.tacv2`;

// Teams caps a team at 1000 channels ("Limits and specifications for Microsoft Teams"), so allChannels is one page.
const allChannelsMax = 1000;

const nameTaken = () => new GraphError('NameAlreadyExists', 'Channel name already existed, please use other name.');

/** Channels of a team (channel-post.md, channel-list.md, channel-get.md, channel-patch.md, channel-delete.md). */
export class ChannelsService {
  constructor(
    private readonly store: Store,
    private readonly access: ChannelAccess,
    private readonly members: ChannelMembersService,
    private readonly operations: OperationsService,
  ) {
    operations.register('createChannel', (tx, operation) => this.finishSharedChannel(tx, operation));
  }

  async create(principal: Principal, teamId: string, body: ChannelCreateBody): Promise<ChannelCreated> {
    const team = await this.access.writableTeam(principal, teamId);
    const plan = validateCreate(body);
    const members = await this.members.resolve(principal, team.id, plan.membershipType, body.members ?? []);
    const sharedWith = await this.sharedWithTeams(principal, body.sharedWithTeams ?? []);
    const now = new Date().toISOString();
    const channel: ChannelTable = {
      id: newChannelId(),
      team_id: team.id,
      tenant_id: team.tenant_id,
      display_name: plan.displayName,
      description: body.description ?? null,
      membership_type: plan.membershipType,
      layout_type: body.layoutType ?? 'post',
      is_favorite_by_default: body.isFavoriteByDefault === undefined || body.isFavoriteByDefault === null ? null : body.isFavoriteByDefault ? 1 : 0,
      is_archived: 0,
      email: '',
      migration_mode: plan.migrationCreatedDateTime === null ? null : 'inProgress',
      original_created_date_time: plan.migrationCreatedDateTime,
      created_date_time: plan.migrationCreatedDateTime ?? now,
    };
    return this.guardName(team.id, async () =>
      withTransaction(this.store, async (tx): Promise<ChannelCreated> => {
        if ((await channelsStore.findChannelByName(tx, team.id, channel.display_name)) !== undefined) throw nameTaken();
        if (plan.membershipType !== 'shared') {
          await insertWithMembers(tx, channel, members);
          return { kind: 'created', channel };
        }
        // Graph provisions a shared channel asynchronously and answers 202 (channel-post.md example 5).
        const payload: SharedChannelPayload = { channel, members: members.map((m) => ({ userId: m.user.id, roles: m.roles })), sharedWithTeamIds: sharedWith };
        const operation = await this.operations.enqueue(tx, {
          tenantId: team.tenant_id,
          parentKind: 'team',
          parentId: team.id,
          operationType: 'createChannel',
          payload,
        });
        return { kind: 'accepted', teamId: team.id, operationId: operation.id };
      }),
    );
  }

  /** Checks the channels a new team asks for: channel names, unique case-insensitively beside General (team-post.md). */
  assertNewTeamChannels(channels: readonly NewTeamChannel[]): void {
    const names = new Set(['general']);
    for (const channel of channels) {
      assertChannelName(channel.displayName);
      if (names.has(channel.displayName.toLowerCase())) throw nameTaken();
      names.add(channel.displayName.toLowerCase());
    }
  }

  /** A new team's General channel, whose id is the team's internalId, and the standard channels it asked for. */
  async createTeamChannels(tx: Handle, team: TeamTable, channels: readonly NewTeamChannel[]): Promise<void> {
    const now = new Date().toISOString();
    const row = (id: string, displayName: string, description: string | null, isFavorite: boolean | undefined): ChannelTable => ({
      id,
      team_id: team.id,
      tenant_id: team.tenant_id,
      display_name: displayName,
      description,
      membership_type: 'standard',
      layout_type: 'post',
      is_favorite_by_default: isFavorite === undefined ? null : isFavorite ? 1 : 0,
      is_archived: 0,
      email: '',
      migration_mode: null,
      original_created_date_time: null,
      created_date_time: now,
    });
    await channelsStore.insertChannel(tx, row(team.internal_id, 'General', team.description, undefined));
    for (const channel of channels) {
      await channelsStore.insertChannel(tx, row(newChannelId(), channel.displayName ?? '', channel.description ?? null, channel.isFavoriteByDefault));
    }
  }

  async list(principal: Principal, teamId: string, list: ListQuery): Promise<ListPage<ChannelTable>> {
    const team = await this.access.readableTeam(principal, teamId);
    const seesAll = principal.userId === null;
    return channelsStore.listChannels(this.store.db, team.id, seesAll ? null : principal.userId, list);
  }

  /** Channels shared with the team by other teams (team-list-incomingchannels.md). */
  async incoming(principal: Principal, teamId: string, filter: FilterNode | null): Promise<ChannelTable[]> {
    const team = await this.access.readableTeam(principal, teamId);
    return channelsStore.listIncomingChannels(this.store.db, team.id, filter);
  }

  /** The team's own channels the caller sees, then its incoming ones (team-list-allchannels.md). */
  async all(principal: Principal, teamId: string, filter: FilterNode | null): Promise<ChannelTable[]> {
    const own = await this.list(principal, teamId, {
      filter,
      orderby: [{ property: 'id', descending: false }],
      after: null,
      skip: 0,
      top: allChannelsMax,
      count: false,
    });
    return [...own.items, ...(await this.incoming(principal, teamId, filter))];
  }

  async get(principal: Principal, teamId: string, channelId: string): Promise<ChannelTable> {
    return (await this.access.channel(principal, teamId, channelId)).channel;
  }

  /** The General channel, whose id is the team's internalId (team-get-primarychannel.md). */
  async primary(principal: Principal, teamId: string): Promise<ChannelTable> {
    const team = await this.access.readableTeam(principal, teamId);
    return this.get(principal, team.id, team.internal_id);
  }

  /** channelSummary, returned only with $select=summary (channel-get.md). */
  async summary(channel: ChannelTable) {
    const counts =
      channel.membership_type === 'standard' ? await this.access.teamCounts(channel.team_id) : await channelsStore.countMembers(this.store.db, channel.id);
    return {
      ownersCount: Number(counts.owners ?? 0),
      membersCount: Number(counts.members),
      guestsCount: Number(counts.guests ?? 0),
      hasMembersFromOtherTenants: false,
    };
  }

  /** membershipType is set at creation and never changes (channel-patch.md). */
  async update(principal: Principal, teamId: string, channelId: string, body: ChannelUpdateBody): Promise<void> {
    const { team, channel } = await this.access.channel(principal, teamId, channelId, 'change settings');
    if (body.membershipType !== undefined && body.membershipType !== channel.membership_type) {
      throw badRequest('The membershipType of a channel cannot be changed after it is created.');
    }
    const isGeneral = channel.id === team.internal_id;
    if (body.displayName !== undefined) {
      if (isGeneral && body.displayName !== channel.display_name) throw badRequest('The General channel cannot be renamed.');
      assertChannelName(body.displayName);
    }
    if (channel.membership_type !== 'standard' && !(await this.access.ownsChannel(principal, channel)))
      throw forbidden('Only an owner of the channel can change it.');
    await this.guardName(team.id, () =>
      withTransaction(this.store, async (tx) => {
        const name = body.displayName;
        const clash = name === undefined ? undefined : await channelsStore.findChannelByName(tx, team.id, name);
        if (clash !== undefined && clash.id !== channel.id) throw nameTaken();
        await channelsStore.updateChannel(tx, channel.id, {
          ...(name === undefined ? {} : { display_name: name }),
          ...(body.description === undefined ? {} : { description: body.description }),
          ...(body.layoutType === undefined ? {} : { layout_type: body.layoutType }),
          ...(body.isFavoriteByDefault === undefined
            ? {}
            : { is_favorite_by_default: body.isFavoriteByDefault === null ? null : body.isFavoriteByDefault ? 1 : 0 }),
        });
      }),
    );
  }

  async delete(principal: Principal, teamId: string, channelId: string): Promise<void> {
    const { team, channel } = await this.access.channel(principal, teamId, channelId, 'change content');
    if (channel.id === team.internal_id) throw badRequest('The General channel cannot be deleted.');
    if (channel.membership_type !== 'standard' && !(await this.access.ownsChannel(principal, channel)))
      throw forbidden('Only an owner of the channel can delete it.');
    await withSingleWrite(this.store, (h) => channelsStore.deleteChannel(h, channel.id));
  }

  async sharedWith(principal: Principal, teamId: string, channelId: string) {
    const channel = await this.get(principal, teamId, channelId);
    if (channel.membership_type !== 'shared') return [];
    return channelsStore.listSharedTeams(this.store.db, channel.id);
  }

  /** Ends migration mode: from now on the channel takes only ordinary messages (channel-completemigration.md). */
  async completeMigration(principal: Principal, teamId: string, channelId: string): Promise<void> {
    const { channel } = await this.access.channel(principal, teamId, channelId, 'change content');
    if (channel.migration_mode !== 'inProgress') throw badRequest(`Channel ${channel.id} is not in migration mode.`);
    await withSingleWrite(this.store, (h) => channelsStore.updateChannel(h, channel.id, { migration_mode: 'completed' }));
  }

  private async finishSharedChannel(tx: Handle, operation: OperationTable) {
    const payload = JSON.parse(operation.payload) as SharedChannelPayload;
    const { channel } = payload;
    if ((await channelsStore.findChannelByName(tx, channel.team_id, channel.display_name)) !== undefined)
      throw new Error('Channel name already existed, please use other name.');
    await channelsStore.insertChannel(tx, { ...channel, created_date_time: new Date().toISOString() });
    await channelsStore.insertMembers(
      tx,
      payload.members.map((member) => memberRow(channel.id, member.userId, member.roles)),
    );
    const teamIds = [channel.team_id, ...payload.sharedWithTeamIds.filter((id) => id !== channel.team_id)];
    const now = new Date().toISOString();
    await channelsStore.insertSharedTeams(
      tx,
      teamIds.map((teamId) => ({
        channel_id: channel.id,
        team_id: teamId,
        tenant_id: channel.tenant_id,
        is_host_team: teamId === channel.team_id ? 1 : 0,
        created_date_time: now,
      })),
    );
    return { targetResourceId: channel.id, targetResourceLocation: `/teams('${channel.team_id}')/channels('${channel.id}')` };
  }

  private async sharedWithTeams(principal: Principal, requested: readonly { id: string }[]): Promise<string[]> {
    const ids: string[] = [];
    for (const { id } of requested) {
      const team = await this.access.readableTeam(principal, id);
      if (!ids.includes(team.id)) ids.push(team.id);
    }
    return ids;
  }

  /**
   * Two requests naming the same channel at once: the unique index lets one win, the other hears
   * Graph's answer. A team removed since it was read (by a reset) takes no channel: its 404.
   */
  private async guardName<T>(teamId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StoreConflict) throw nameTaken();
      if (err instanceof StoreParentMissing) throw teamNotFound(teamId);
      throw err;
    }
  }
}

async function insertWithMembers(tx: Handle, channel: ChannelTable, members: readonly ResolvedMember[]): Promise<void> {
  await channelsStore.insertChannel(tx, channel);
  await channelsStore.insertMembers(
    tx,
    members.map((member) => memberRow(channel.id, member.user.id, member.roles)),
  );
}
