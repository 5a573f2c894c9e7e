// The store speaks data, never HTTP: services translate these into Graph errors.

/** A write hit a primary key or unique constraint. */
export class StoreConflict extends Error {
  constructor(cause: unknown) {
    super('unique constraint violated', { cause });
  }
}

/**
 * A write named a parent row that is not there (a message's chat, a member's channel): a foreign key
 * refused it. Its parent was deleted by a request that committed first, so the write is a miss.
 */
export class StoreParentMissing extends Error {
  constructor(cause: unknown) {
    super('the parent row is missing', { cause });
  }
}

/** A compare-and-set found another version than the caller expected. */
export class VersionMismatch extends Error {
  constructor(readonly currentVersion: number) {
    super('version mismatch');
  }
}
