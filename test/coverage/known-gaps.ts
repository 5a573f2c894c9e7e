import type { Requirement } from './coverage-map.ts';

/** A requirement of the coverage map that an operation lacks, and why. */
export interface KnownGap {
  readonly operation: string;
  readonly lacks: Requirement;
  readonly why: string;
}

export const knownGaps: readonly KnownGap[] = [
  {
    operation: 'post-forward',
    lacks: 'readBack',
    why: 'forwarding sends mail out of the group and stores nothing, so there is nothing to read back; post-forward.test.ts checks that no row changes',
  },
  {
    operation: 'user-list',
    lacks: 'refusal',
    why: "the list is the caller's tenant's: there is no object to refuse, and another tenant's caller lists its own",
  },
  {
    operation: 'group-list',
    lacks: 'refusal',
    why: "the list is the caller's tenant's: there is no object to refuse, and another tenant's caller lists its own",
  },
  {
    operation: 'subscription-list',
    lacks: 'refusal',
    why: "the list is the caller's own subscriptions (subscription-list.md): there is no object to refuse, and another caller lists its own",
  },
];
