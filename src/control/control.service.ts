import type { Config } from '../config.ts';
import type { KeyRing } from '../identity/keys.ts';
import type { NotificationWorker } from '../resources/subscriptions/notifications.worker.ts';
import { exportSeed } from '../seed/exporter.ts';
import { resetToSeed } from '../seed/loader.ts';
import type { SeedFile } from '../seed/seed.schemas.ts';
import type { Store } from '../store/db.ts';
import { version } from '../version.ts';
import { type Faults, faultSettingsOf } from '../wire/faults.ts';

/** The control plane under /_teamgraph/: never part of the Graph surface. */
export class ControlService {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly seed: SeedFile | null,
    private readonly keys: KeyRing,
    private readonly notifications: NotificationWorker,
    private readonly faultInjector: Faults,
  ) {}

  /** The random failures Graph requests get now (decision 153), and how many have failed since they were set. */
  faults() {
    return { ...this.faultInjector.settings, injected: this.faultInjector.injected };
  }

  /** Replaces them, in this instance, at once; what the body leaves out takes its default. */
  setFaults(body: unknown) {
    this.faultInjector.set(faultSettingsOf(body));
    return this.faults();
  }

  /** The server's own tenant: the seed's first, whose administrators may use the control plane. */
  get homeTenantId(): string | null {
    return this.seed?.tenants[0]?.id ?? null;
  }

  /** What `GET /` answers: where the Graph versions and the authority are, for a person who opened the bare origin. */
  welcome(requestOrigin: string) {
    const origin = this.config.publicUrl ?? requestOrigin;
    const tenant = this.homeTenantId ?? '{tenant}';
    return {
      name: 'teamgraph',
      version,
      description: 'A Microsoft Graph compatible server for Teams and Groups conversations.',
      graph: { 'v1.0': `${origin}/v1.0`, beta: `${origin}/beta` },
      authority: { host: origin, tenantId: this.homeTenantId, tokenEndpoint: `${origin}/${tenant}/oauth2/v2.0/token` },
      auth: this.config.auth,
      health: `${origin}/_teamgraph/health`,
      // Dev mode answers a request without a token as the seed's default user: the quickest first call.
      ...(this.config.auth === 'dev' ? { try: `curl ${origin}/v1.0/me` } : {}),
    };
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

  /** Recent change and lifecycle notifications, with their delivery state: what a test waits on instead of sleeping. */
  recentNotifications() {
    return this.notifications.recent();
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
