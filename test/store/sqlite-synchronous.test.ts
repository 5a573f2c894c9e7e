import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/db.ts';

// `--sqlite-synchronous` (decision 96) reaches the connection teamgraph opens: SQLite's pragma reads
// 1 for NORMAL and 2 for FULL. It is an SQLite setting; PostgreSQL has none to set.
async function synchronousOf(args: string[], env: Record<string, string> = {}): Promise<number> {
  const loaded = loadConfig(args, env);
  assert.equal(loaded.kind, 'run', loaded.kind === 'error' ? loaded.message : loaded.kind);
  const store = await openStore(loaded.kind === 'run' ? loaded.config.database : (undefined as never));
  try {
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    assert.equal(journal.rows[0]?.journal_mode, 'wal');
    return rows[0]?.synchronous ?? -1;
  } finally {
    await store.close();
  }
}

describe('SQLite synchronous setting', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-sync-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('NORMAL by default', async () => {
    assert.equal(await synchronousOf(['--database', path.join(dir, 'a.db')]), 1);
  });

  it('FULL with --sqlite-synchronous full or TEAMGRAPH_SQLITE_SYNCHRONOUS=full; the flag wins', async () => {
    assert.equal(await synchronousOf(['--database', path.join(dir, 'b.db'), '--sqlite-synchronous', 'full']), 2);
    assert.equal(await synchronousOf(['--database', path.join(dir, 'c.db')], { TEAMGRAPH_SQLITE_SYNCHRONOUS: 'full' }), 2);
    assert.equal(await synchronousOf(['--database', path.join(dir, 'd.db'), '--sqlite-synchronous', 'normal'], { TEAMGRAPH_SQLITE_SYNCHRONOUS: 'full' }), 1);
  });

  it('a value other than normal or full, or the setting with a postgres:// database, is a one-line configuration error', () => {
    const wrong = loadConfig(['--sqlite-synchronous', 'off'], {});
    assert.deepEqual(wrong, { kind: 'error', message: 'invalid configuration: --sqlite-synchronous must be one of normal, full, not "off"' });
    const postgres = loadConfig(['--database', 'postgres://postgres@127.0.0.1:5432/postgres', '--sqlite-synchronous', 'full'], {});
    assert.deepEqual(postgres, { kind: 'error', message: 'invalid configuration: --sqlite-synchronous applies to SQLite only, not to a postgres:// database' });
  });
});
