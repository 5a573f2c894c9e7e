import type { SubscriptionTable } from '../../store/schema.ts';
import { type Principal, assertPermitted } from '../../wire/auth.ts';
import { forbidden } from '../../wire/errors.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import type { ChatsService } from '../chats/chats.service.ts';
import type { ConversationsAccess } from '../conversations/conversations.access.ts';
import type { TeamsService } from '../teams/teams.service.ts';
import type { UsersService } from '../users/users.service.ts';
import type { Target } from './subscriptions.targets.ts';

/**
 * Who may subscribe to what, and whose subscriptions a caller sees. To watch a resource the caller
 * needs one of the permissions Graph's table names for it, and must be able to read it: that is
 * asked of the resource's own family, whose access rules decide it as they decide a GET.
 */
export class SubscriptionsAccess {
  constructor(
    private readonly chats: ChatsService,
    private readonly channels: ChannelsService,
    private readonly teams: TeamsService,
    private readonly conversations: ConversationsAccess,
    private readonly users: UsersService,
  ) {}

  /** The target if the caller may watch it, a user it names by principal name named by id. */
  async mayWatch(principal: Principal, target: Target): Promise<Target> {
    const { kind, ids } = target;
    assertPermitted(principal, kind.permissions);
    if (ids.chatId !== undefined) await this.chats.get(principal, ids.chatId);
    else if (ids.channelId !== undefined && ids.teamId !== undefined) await this.channels.get(principal, ids.teamId, ids.channelId);
    else if (ids.teamId !== undefined) await this.teams.get(principal, ids.teamId);
    else if (ids.groupId !== undefined) await this.conversations.groupFor(principal, ids.groupId);
    else if (ids.userId !== undefined) {
      const user = await this.users.get(principal, ids.userId);
      // A user's chats are that user's to watch, or an application's (chatmessage-list-allmessages.md).
      if (principal.userId !== null && user.id !== principal.userId) throw forbidden("A user can subscribe only to the user's own chats.");
      return { ...target, ids: { ...ids, userId: user.id } };
    }
    return target;
  }

  /** subscription-list.md: an application sees what it created, for itself or any user; a user what this application created for that user. */
  sees(principal: Principal, row: SubscriptionTable): boolean {
    return row.tenant_id === principal.tenantId && row.application_id === principal.appId && (principal.userId === null || row.user_id === principal.userId);
  }
}
