import { includesUnknownEnumMembers } from '../../wire/prefer.ts';
import { type GraphRequest, type GraphResponse, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import type { ChannelArchiveService } from './channel-archive.service.ts';
import { type ChannelsService, channelFields } from './channels.service.ts';

type ChannelTable = Awaited<ReturnType<ChannelsService['get']>>;
import { ChannelCreateBody, ChannelUpdateBody, channelJson, channelProperties, sharedWithTeamJson } from './channels.schemas.ts';

const channelQuery = { entityType: 'microsoft.graph.channel', properties: channelProperties } as const;
const readChannel = {
  delegated: [
    'Channel.ReadBasic.All',
    'ChannelSettings.Read.All',
    'ChannelSettings.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
  ],
  application: [
    'ChannelSettings.Read.Group',
    'ChannelSettings.ReadWrite.Group',
    'Channel.ReadBasic.All',
    'ChannelSettings.Read.All',
    'ChannelSettings.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
  ],
};

const otherTeamChannels = {
  delegated: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
  application: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
};
const archiveChannel = { delegated: ['ChannelSettings.ReadWrite.All'], application: ['ChannelSettings.ReadWrite.All'] };

export function channelRoutes(channels: ChannelsService, archive: ChannelArchiveService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'channel-create',
      doc: 'api-reference/v1.0/api/channel-post.md',
      method: 'POST',
      response: 'microsoft.graph.channel',
      forms: ['/teams/{teamId}/channels'],
      body: ChannelCreateBody,
      permissions: {
        delegated: ['Channel.Create', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
        application: ['Channel.Create.Group', 'Channel.Create', 'Directory.ReadWrite.All', 'Group.ReadWrite.All', 'Teamwork.Migrate.All'],
      },
      handle: async (req) => {
        const created = await channels.create(req.principal, req.params.teamId, req.body);
        if (created.kind === 'accepted') {
          // Path style, no key parentheses, empty body (channel-post.md examples 5 and 7).
          return {
            status: 202,
            headers: { 'content-location': `/teams/${created.teamId}/operations/${created.operationId}`, 'content-type': 'application/json' },
          };
        }
        const response = await channelResponse(req, channels, created.channel, 201);
        if (created.channel.migration_mode === null) return response;
        return { ...response, headers: { location: `/teams('${created.channel.team_id}')/channels('${created.channel.id}')` } };
      },
    }),
    defineRoute({
      operation: 'channel-list',
      doc: 'api-reference/v1.0/api/channel-list.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.channel)',
      forms: ['/teams/{teamId}/channels'],
      permissions: readChannel,
      // channel-list.md: $filter and $select; pages since April 2026 (concepts/whats-new.md).
      odata: { ...channelQuery, top: { default: 100, max: 999 }, fields: channelFields },
      handle: async (req) => {
        const page = await channels.list(req.principal, req.params.teamId, req.odata.list);
        const items = await Promise.all(page.items.map((row) => channelBody(req, channels, row)));
        return collectionResponse(req, `teams('${contextKey(req.params.teamId)}')/channels`, { ...page, items });
      },
    }),
    defineRoute({
      operation: 'channel-get',
      doc: 'api-reference/v1.0/api/channel-get.md',
      method: 'GET',
      response: 'microsoft.graph.channel',
      forms: ['/teams/{teamId}/channels/{channelId}'],
      permissions: readChannel,
      odata: channelQuery,
      handle: async (req) => channelResponse(req, channels, await channels.get(req.principal, req.params.teamId, req.params.channelId)),
    }),
    defineRoute({
      operation: 'primary-channel-get',
      doc: 'api-reference/v1.0/api/team-get-primarychannel.md',
      method: 'GET',
      response: 'microsoft.graph.channel',
      forms: ['/teams/{teamId}/primaryChannel'],
      permissions: readChannel,
      odata: channelQuery,
      handle: async (req) => {
        const channel = await channels.primary(req.principal, req.params.teamId);
        return entityResponse(req, `teams('${contextKey(channel.team_id)}')/primaryChannel`, await channelBody(req, channels, channel));
      },
    }),
    defineRoute({
      operation: 'channel-update',
      doc: 'api-reference/v1.0/api/channel-patch.md',
      method: 'PATCH',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}'],
      body: ChannelUpdateBody,
      permissions: {
        delegated: ['ChannelSettings.ReadWrite.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
        application: ['ChannelSettings.ReadWrite.Group', 'ChannelSettings.ReadWrite.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
      },
      handle: async (req) => {
        await channels.update(req.principal, req.params.teamId, req.params.channelId, req.body);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'channel-delete',
      doc: 'api-reference/v1.0/api/channel-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}'],
      permissions: {
        delegated: ['Channel.Delete.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
        application: ['Channel.Delete.Group', 'Channel.Delete.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
      },
      handle: async (req) => {
        await channels.delete(req.principal, req.params.teamId, req.params.channelId);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'all-channel-list',
      doc: 'api-reference/v1.0/api/team-list-allchannels.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.channel)',
      forms: ['/teams/{teamId}/allChannels'],
      permissions: otherTeamChannels,
      odata: { ...channelQuery, fields: channelFields },
      handle: async (req) => wholeList(req, channels, 'allChannels', await channels.all(req.principal, req.params.teamId, req.odata.list.filter)),
    }),
    defineRoute({
      operation: 'incoming-channel-list',
      doc: 'api-reference/v1.0/api/team-list-incomingchannels.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.channel)',
      forms: ['/teams/{teamId}/incomingChannels'],
      permissions: otherTeamChannels,
      odata: { ...channelQuery, fields: channelFields },
      handle: async (req) => wholeList(req, channels, 'incomingChannels', await channels.incoming(req.principal, req.params.teamId, req.odata.list.filter)),
    }),
    defineRoute({
      operation: 'channel-archive',
      doc: 'api-reference/v1.0/api/channel-archive.md',
      method: 'POST',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}/archive'],
      permissions: archiveChannel,
      handle: async (req) => archived(await archive.setArchived(req.principal, req.params.teamId, req.params.channelId, true)),
    }),
    defineRoute({
      operation: 'channel-unarchive',
      doc: 'api-reference/v1.0/api/channel-unarchive.md',
      method: 'POST',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}/unarchive'],
      permissions: archiveChannel,
      handle: async (req) => archived(await archive.setArchived(req.principal, req.params.teamId, req.params.channelId, false)),
    }),
    defineRoute({
      operation: 'channel-shared-with-team-list',
      doc: 'api-reference/v1.0/api/sharedwithchannelteaminfo-list.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.sharedWithChannelTeamInfo)',
      forms: ['/teams/{teamId}/channels/{channelId}/sharedWithTeams'],
      permissions: {
        delegated: ['ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
        application: ['ChannelSettings.Read.Group', 'ChannelSettings.ReadWrite.Group', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
      },
      handle: async (req) => {
        const teams = await channels.sharedWith(req.principal, req.params.teamId, req.params.channelId);
        const context = `teams('${contextKey(req.params.teamId)}')/channels('${contextKey(req.params.channelId)}')/sharedWithTeams`;
        return collectionResponse(req, context, { items: teams.map((team) => sharedWithTeamJson(team, team.is_host_team === 1)), after: null });
      },
    }),
    defineRoute({
      operation: 'channel-complete-migration',
      doc: 'api-reference/v1.0/api/channel-completemigration.md',
      method: 'POST',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}/completeMigration'],
      permissions: { delegated: [], application: ['Teamwork.Migrate.All'] },
      handle: async (req) => {
        await channels.completeMigration(req.principal, req.params.teamId, req.params.channelId);
        return { status: 204 };
      },
    }),
  ];
}

async function channelBody(req: GraphRequest<unknown, unknown>, channels: ChannelsService, row: ChannelTable): Promise<object> {
  const summary = req.odata.select?.includes('summary') === true ? await channels.summary(row) : undefined;
  return channelJson(row, includesUnknownEnumMembers(req.headers), summary);
}

async function channelResponse(req: GraphRequest<unknown, unknown>, channels: ChannelsService, row: ChannelTable, status = 200) {
  return entityResponse(req, `teams('${contextKey(row.team_id)}')/channels`, await channelBody(req, channels, row), status);
}

/** allChannels and incomingChannels come whole (decision 49). */
async function wholeList(req: GraphRequest<{ teamId: string }, unknown>, channels: ChannelsService, segment: string, rows: readonly ChannelTable[]) {
  const items = await Promise.all(rows.map((row) => channelBody(req, channels, row)));
  return collectionResponse(req, `teams('${contextKey(req.params.teamId)}')/${segment}`, { items, after: null });
}

/** Path style, no key parentheses, empty body (channel-archive.md example 1). */
function archived({ teamId, operationId }: { teamId: string; operationId: string }): GraphResponse {
  return { status: 202, headers: { location: `/teams/${teamId}/operations/${operationId}`, 'content-type': 'text/plain', 'content-length': '0' } };
}
