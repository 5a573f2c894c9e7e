import type { Config } from '../config.ts';
import type { KeyRing } from '../identity/keys.ts';
import { exportSeed } from '../seed/exporter.ts';
import { resetToSeed } from '../seed/loader.ts';
import type { SeedFile } from '../seed/seed.schemas.ts';
import type { Store } from '../store/db.ts';
import { version } from '../version.ts';

/** The control plane under /_teamgraph/: never part of the Graph surface. */
export class ControlService {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly seed: SeedFile | null,
    private readonly keys: KeyRing,
  ) {}

  /** The server's own tenant: the seed's first, whose administrators may use the control plane. */
  get homeTenantId(): string | null {
    return this.seed?.tenants[0]?.id ?? null;
  }

  async health(): Promise<{ status: 'ok' | 'unavailable'; database: string }> {
    try {
      await this.store.ping();
      return { status: 'ok', database: 'reachable' };
    } catch (err) {
      return { status: 'unavailable', database: (err as Error).message };
    }
  }

  async reset(): Promise<void> {
    await resetToSeed(this.store, this.seed);
  }

  /** The current state as a seed that loads back to it (docs/seed-file.md). */
  export(): Promise<SeedFile> {
    return exportSeed(this.store);
  }

  rotateKeys(): Promise<string> {
    return this.keys.rotate();
  }

  info() {
    return {
      name: 'teamgraph',
      version,
      store: this.store.kind,
      seed: this.config.seed.kind,
      tenantId: this.homeTenantId,
    };
  }
}
