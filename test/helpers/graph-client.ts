import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } from '@microsoft/kiota-abstractions';
import { Client, type Context, HTTPMessageHandler, type Middleware, RedirectHandler, RetryHandler, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import { GraphRequestAdapter } from '@microsoft/msgraph-sdk';

/** graph-client v3 strips Authorization for non-Graph hosts over http; this chain always sends it (sdk-clients.md 4.1). */
class BearerAlways implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly token: string) {}
  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, headers: { ...(context.options?.headers as Record<string, string>), Authorization: `Bearer ${this.token}` } };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A v3 client for a plain-http teamgraph that sends the given bearer token on every request. */
export function graphClientOverHttp(baseUrl: string, token: string): Client {
  const chain: Middleware[] = [new BearerAlways(token), new RetryHandler(), new RedirectHandler(), new TelemetryHandler(), new HTTPMessageHandler()];
  for (const [index, handler] of chain.entries()) {
    const next = chain[index + 1];
    if (next !== undefined) handler.setNext?.(next);
  }
  return Client.initWithMiddleware({ middleware: chain[0], baseUrl });
}

/**
 * A request adapter for the Kiota v1.0 SDK aimed at `serviceRoot` (e.g. `http://127.0.0.1:1234/v1.0`);
 * an empty token sends no Authorization, so the dev-mode caller acts. Kiota sends tokens to any host
 * over http once the allowed-hosts list is empty (sdk-clients.md).
 */
export function kiotaAdapterOverHttp(serviceRoot: string, token: string): GraphRequestAdapter {
  const adapter = new GraphRequestAdapter(
    new BaseBearerTokenAuthenticationProvider({
      getAuthorizationToken: () => Promise.resolve(token),
      getAllowedHostsValidator: () => new AllowedHostsValidator(),
    }),
  );
  adapter.baseUrl = serviceRoot;
  return adapter;
}
