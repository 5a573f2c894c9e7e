// The store speaks data, never HTTP: services translate these into Graph errors.

/** A write hit a primary key or unique constraint. */
export class StoreConflict extends Error {
  constructor(cause: unknown) {
    super('unique constraint violated', { cause });
  }
}

/** A compare-and-set found another version than the caller expected. */
export class VersionMismatch extends Error {
  constructor(readonly currentVersion: number) {
    super('version mismatch');
  }
}
