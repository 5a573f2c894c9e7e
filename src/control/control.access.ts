import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { UsersService } from '../resources/users/users.service.ts';
import type { Authenticator } from '../wire/auth.ts';
import { forbidden } from '../wire/errors.ts';

/**
 * Who may use the control plane (decision 98). In dev mode, anyone: it is as open as the Graph
 * surface, where a request without a token already acts as the tenant admin. In strict mode, the
 * holder of the control key, or a signed-in administrator of the server's home tenant (the seed's
 * first tenant, the one /_teamgraph/info names) as the database holds that user now. Anything else
 * is refused: 401 without a usable credential, 403 for a valid token of anyone else.
 */
export class ControlAccess {
  private readonly controlKeyDigest: Buffer | null;

  constructor(
    private readonly config: Pick<Config, 'auth' | 'controlKey'>,
    private readonly authenticate: Authenticator,
    private readonly users: UsersService,
    private readonly homeTenantId: string | null,
  ) {
    this.controlKeyDigest = config.controlKey === null ? null : digest(config.controlKey);
  }

  async authorize(authorization: string | undefined): Promise<void> {
    if (this.config.auth === 'dev') return;
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (presented !== undefined && this.controlKeyDigest !== null && timingSafeEqual(digest(presented), this.controlKeyDigest)) return;
    const principal = await this.authenticate(authorization); // 401 for no token or one that fails verification
    if (principal.kind === 'delegated' && principal.tenantId === this.homeTenantId && (await this.users.isAdmin(principal))) return;
    throw forbidden('The control plane needs the control key or a token of an administrator of the home tenant.');
  }
}

// Digests of equal length let the comparison take the same time whatever the key and the guess.
const digest = (secret: string) => createHash('sha256').update(secret).digest();
