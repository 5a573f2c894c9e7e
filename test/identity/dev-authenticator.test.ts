import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { devAuthenticator } from '../../src/identity/dev-authenticator.ts';
import { loadSeed, readSeed, resetToSeed } from '../../src/seed/loader.ts';
import type { SeedFile } from '../../src/seed/seed.schemas.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

// Dev mode remembers the default user it acts as; a reset must make it forget, or a reset to a seed
// with another default user would go on acting as the old one (decision 142).
describe('dev mode after a reset', () => {
  it('acts as the default user of the seed the database now holds', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
    try {
      await migrate(store);
      const demo = (await readSeed({ kind: 'demo' })) as SeedFile;
      await loadSeed(store, demo, false);
      const authenticate = devAuthenticator(store, new Set(['User.Read']));
      const adele = await authenticate(undefined);
      assert.equal(adele.userId, demo.users.find((user) => user.userPrincipalName === 'AdeleV@contoso.com')?.id);
      const megan = demo.users.find((user) => user.userPrincipalName === 'MeganB@contoso.com');
      await resetToSeed(store, { ...demo, defaultUser: 'MeganB@contoso.com' });
      assert.equal((await authenticate(undefined)).userId, megan?.id);
    } finally {
      await store.close();
    }
  });
});
