import type { TestResponse, TestServer } from '../../helpers/server.ts';

export { architectureTeamId, awaitOperation, guestId, mark8TeamId, meganId, member, reset } from '../channels/channels.fixtures.ts';

// More demo tenant ids (src/seed/demo-tenant.json).
export const allCompanyGroupId = '29981b6a-0e57-42dc-94c9-cd24f5306196';
export const adeleId = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
export const leeId = '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca';
export const pattiId = '6d1e1501-7a3d-45b7-b71b-68d372e5ce14';
export const standardTemplate = "https://graph.microsoft.com/v1.0/teamsTemplates('standard')";

/** Row counts of everything POST /teams and the team writes touch: a failed request leaves them equal. */
export async function teamState(server: TestServer) {
  const count = async (table: 'teams' | 'groups' | 'group_members' | 'channels' | 'operations') =>
    Number(
      (
        await server.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const teams = await server.store.db.selectFrom('teams').selectAll().orderBy('id').execute();
  return {
    teams,
    groups: await count('groups'),
    groupMembers: await count('group_members'),
    channels: await count('channels'),
    operations: await count('operations'),
  };
}

/** The team id a 202 of POST /teams names in its Content-Location. */
export function createdTeamId(response: TestResponse): string {
  const match = /^\/teams\('([^']+)'\)$/.exec(response.headers.get('content-location') ?? '');
  if (match === null) throw new Error(`no team in Content-Location: ${response.headers.get('content-location')}`);
  return match[1] as string;
}

export const membershipIdOf = (teamId: string, userId: string) => Buffer.from(`${teamId}##${userId}`).toString('base64');
