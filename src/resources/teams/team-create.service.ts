import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/db.ts';
import type { GroupMemberTable, OperationTable, TeamTable } from '../../store/schema.ts';
import { type Handle, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, badRequest, forbidden } from '../../wire/errors.ts';
import type { ChannelMembersService } from '../channels/channel-members.service.ts';
import { type ChannelsService, newChannelId } from '../channels/channels.service.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import { mergeSettings, parseVisibility, validateCreate } from './teams.rules.ts';
import { type NewTeamChannel, type TeamCreateBody, defaultTeamSettings } from './teams.schemas.ts';
import * as teamsStore from './teams.store.ts';

/** What the createTeam operation finishes: the team row, and the group to create unless it exists. */
interface CreateTeamPayload {
  readonly team: TeamTable;
  readonly isNewGroup: boolean;
  readonly members: readonly Omit<GroupMemberTable, 'group_id'>[];
  readonly channels: readonly NewTeamChannel[];
}

type TeamSource = Pick<CreateTeamPayload, 'isNewGroup' | 'members'> & Pick<TeamTable, 'id' | 'display_name' | 'description' | 'visibility'>;

/**
 * POST /teams (team-post.md): the request checks everything and records a createTeam operation;
 * the group, the team and its General channel appear together when the operation succeeds.
 */
export class TeamCreateService {
  constructor(
    private readonly store: Store,
    private readonly groups: GroupsService,
    private readonly channels: ChannelsService,
    private readonly channelMembers: ChannelMembersService,
    private readonly operations: OperationsService,
  ) {
    operations.register('createTeam', (tx, operation) => this.finish(tx, operation));
  }

  async create(principal: Principal, body: TeamCreateBody): Promise<{ teamId: string; operationId: string }> {
    const { groupId } = validateCreate(body);
    this.channels.assertNewTeamChannels(body.channels ?? []);
    const settings = mergeSettings(defaultTeamSettings, body);
    const source = groupId === null ? await this.newGroup(principal, body) : await this.existingGroup(principal, groupId);
    const team: TeamTable = {
      id: source.id,
      tenant_id: principal.tenantId,
      display_name: source.display_name,
      description: groupId === null ? source.description : (body.description ?? source.description),
      internal_id: newChannelId(),
      visibility: source.visibility,
      specialization: 'none',
      classification: null,
      is_archived: 0,
      created_date_time: new Date().toISOString(),
      settings: JSON.stringify(settings),
    };
    const payload: CreateTeamPayload = { team, isNewGroup: source.isNewGroup, members: source.members, channels: body.channels ?? [] };
    const operation = await withTransaction(this.store, (tx) =>
      this.operations.enqueue(tx, {
        tenantId: team.tenant_id,
        parentKind: 'team',
        parentId: team.id,
        operationType: 'createTeam',
        targetResourceId: team.id,
        payload,
      }),
    );
    return { teamId: team.id, operationId: operation.id };
  }

  /** With application permissions a member with the owner role is required; a signed-in caller becomes an owner. */
  private async newGroup(principal: Principal, body: TeamCreateBody): Promise<TeamSource> {
    const resolved = await this.channelMembers.resolve(principal, '', 'standard', body.members ?? []);
    const members = resolved.map(({ user, roles }) => ({ user_id: user.id, role: roles.includes('owner') ? ('owner' as const) : ('member' as const) }));
    if (principal.userId === null && !members.some((member) => member.role === 'owner')) {
      throw badRequest('A team created with application permissions needs a member with the roles ["owner"].');
    }
    const caller = principal.userId;
    const withCaller = caller === null ? members : [{ user_id: caller, role: 'owner' as const }, ...members.filter((member) => member.user_id !== caller)];
    return {
      id: randomUUID(),
      display_name: body.displayName ?? '',
      description: body.description ?? null,
      visibility: parseVisibility(body.visibility, 'public'),
      isNewGroup: true,
      members: withCaller,
    };
  }

  /** Example 4 of team-post.md: the group needs an owner and must not have a team yet. */
  private async existingGroup(principal: Principal, groupId: string): Promise<TeamSource> {
    const { row, isTeam } = await this.groups.get(principal, groupId);
    if (isTeam) throw new GraphError('Conflict', `Group ${row.id} already has a team.`);
    if ((await this.groups.ownersCount(row.id)) === 0) throw badRequest(`Group ${row.id} has no owner; a team can be created only from a group with an owner.`);
    if (principal.userId !== null && (await this.groups.roleOf(row.id, principal.userId)) !== 'owner') {
      throw forbidden(`Only an owner of group ${row.id} can create a team from it.`);
    }
    return {
      id: row.id,
      display_name: row.display_name,
      description: row.description,
      visibility: row.visibility === 'Public' ? 'public' : 'private',
      isNewGroup: false,
      members: [],
    };
  }

  private async finish(tx: Handle, operation: OperationTable) {
    const payload = JSON.parse(operation.payload) as CreateTeamPayload;
    const { team } = payload;
    if (payload.isNewGroup) {
      const visibility = team.visibility === 'public' ? 'Public' : 'Private';
      await this.groups.createUnified(
        tx,
        { id: team.id, tenant_id: team.tenant_id, display_name: team.display_name, description: team.description, visibility },
        payload.members,
      );
    }
    await teamsStore.insertTeam(tx, team);
    await this.channels.createTeamChannels(tx, team, payload.channels);
    return { targetResourceId: team.id, targetResourceLocation: `/teams('${team.id}')` };
  }
}
