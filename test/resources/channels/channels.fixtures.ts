import assert from 'node:assert/strict';
import type { TestResponse, TestServer } from '../../helpers/server.ts';

// The ids of the channel seed page (channel-post.md) as the demo tenant holds them.
export const architectureTeamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';
export const mark8TeamId = '7640023f-fe43-4cc7-9bd3-84a9efe4acd6';
export const generalChannelId = '19:0b1f4a6e8c2d4e9fa7b3c5d6e7f80912@thread.tacv2';
export const leadershipChannelId = '19:9d3e7f1a5b2c4d6e8f0a1b2c3d4e5f60@thread.tacv2';
export const lidiaId = '62855810-484b-4823-9e01-60667f8b12ae';
export const diegoId = '7640023f-fe43-573f-9ff4-84a9efe4acd6';
export const meganId = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';
export const guestId = '8ba98gf6-7fc2-4eb2-c7f2-aef9f21fd98g';
export const channels = `/v1.0/teams/${architectureTeamId}/channels`;

export const member = (user: string, roles: string[] = ['owner']) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${user}')`,
  roles,
});

export async function channelRows(server: TestServer, teamId = architectureTeamId) {
  return server.store.db.selectFrom('channels').selectAll().where('team_id', '=', teamId).orderBy('id').execute();
}

export async function memberRows(server: TestServer, channelId: string) {
  return server.store.db.selectFrom('channel_members').select(['user_id', 'roles']).where('channel_id', '=', channelId).orderBy('user_id').execute();
}

/** Polls an operation URL (as the 202's Content-Location names it) until it leaves notStarted/inProgress. */
export async function awaitOperation(server: Pick<TestServer, 'request'>, location: string): Promise<TestResponse> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await server.request('GET', `/v1.0${location}`, { headers: { prefer: 'include-unknown-enum-members' } });
    assert.equal(response.status, 200, response.text);
    if (response.body.status !== 'notStarted' && response.body.status !== 'inProgress') return response;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`operation ${location} did not finish`);
}

export const reset = async (server: TestServer) => {
  const response = await server.request('POST', '/_teamgraph/reset');
  assert.ok(response.status < 300, response.text);
};

/** The Leadership private channel: Adele owns it, Lee is a member, Megan is in its team but not in it. */
export const leadership = `${channels}/${leadershipChannelId}`;
export const leeId = '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca';

/** Resets the tenant and returns the path of Lee's membership of the Leadership channel. */
export async function resetToLeeInLeadership(server: TestServer): Promise<string> {
  await reset(server);
  const list = await server.request('GET', `${leadership}/members`);
  assert.equal(list.status, 200, list.text);
  return `${leadership}/members/${encodeURIComponent(list.body.value.find((m: { userId: string }) => m.userId === leeId).id)}`;
}
