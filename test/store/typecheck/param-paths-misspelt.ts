// Compiled by param-paths.test.ts, outside the project's tsconfig: each line marked `refused` must
// fail to compile, naming the path it refuses, and no other line may.
import { prepare } from '../../../src/store/prepared.ts';
import type { Handle } from '../../../src/store/transaction.ts';

interface Params {
  readonly teamId: string;
  readonly row: { readonly id: string };
  readonly members: readonly { readonly user_id: string }[];
}

const build = (h: Handle, p: Params) => h.selectFrom('teams').select('id').where('id', '=', p.teamId);

export const misspelt = prepare(['teamID'], build); // refused: "teamID"
export const wrongField = prepare(['row.id', 'row.name'], build); // refused: "row.name"
export const wholeObject = prepare(['row'], build); // refused: "row"
export const notAnIndex = prepare(['members.first.user_id'], build); // refused: "members.first.user_id"
