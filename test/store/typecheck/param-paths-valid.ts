// Compiled by param-paths.test.ts, outside the project's tsconfig: every name here must compile.
import type { MemberUser } from '../../../src/store/member-users.ts';
import { pathsUnder, prepare } from '../../../src/store/prepared.ts';
import type { ChatMemberTable } from '../../../src/store/schema.ts';

interface Params {
  readonly teamId: string;
  readonly userId: string | null;
  readonly row: { readonly id: string; readonly topic: string | null };
  readonly members: readonly ChatMemberTable[];
  readonly pair: readonly [string, { readonly user: MemberUser }];
}

export const valid = prepare(
  [
    'teamId',
    'userId',
    'row.id',
    'row.topic',
    'members.0.user_id',
    'members.12.roles',
    'pair.0',
    'pair.1.user.upn_key',
    ...pathsUnder('row', ['id', 'topic'] as const),
  ],
  (h, p: Params) => h.selectFrom('teams').select('id').where('id', '=', p.teamId).where('display_name', '=', p.row.topic),
);
