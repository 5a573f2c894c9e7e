import type { FastifyInstance, FastifyRequest } from 'fastify';
import picomatch from 'picomatch';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { GraphError, badRequest } from './errors.ts';

// Random failures on purpose (docs/decisions.md 153): a share of Graph requests is answered with one
// of the transient failures Graph is known for, before the route runs, so that an app's retry logic
// can be proven against them. Off unless asked for.

/** The statuses a fault may take, each with Graph's code and whether Graph says when to retry. */
const faultKinds = {
  429: { code: 'TooManyRequests', retryAfter: true, what: 'Too many requests: the request was throttled' },
  500: { code: 'InternalServerError', retryAfter: false, what: 'An internal server error occurred' },
  502: { code: 'BadGateway', retryAfter: false, what: 'A gateway received an invalid response from the service' },
  503: { code: 'ServiceUnavailable', retryAfter: true, what: 'The service is not available' },
  504: { code: 'GatewayTimeout', retryAfter: false, what: 'A gateway did not receive a timely response from the service' },
} as const;

export type FaultStatus = keyof typeof faultKinds;
const faultStatuses = Object.keys(faultKinds).map(Number) as FaultStatus[];

/** The settings, as `PUT /_teamgraph/faults` takes them; the CLI's flags check their values against the same parts. */
export const FaultSettingsBody = Type.Object(
  {
    /** The share of requests that fail, from 0 (none) to 1 (all). */
    rate: Type.Number({ minimum: 0, maximum: 1 }),
    /** The statuses a failure takes, one chosen at random for each. */
    statuses: Type.Optional(Type.Array(Type.Enum(faultStatuses), { minItems: 1 })),
    /** Which requests may fail: path globs (`/v1.0/chats/**`), each optionally after a method (`POST /v1.0/chats/*\/messages`). */
    routes: Type.Optional(Type.Array(Type.String({ pattern: '^([A-Za-z]+ +)?/' }), { minItems: 1 })),
    /** The `Retry-After` of a 429 or a 503, in seconds. */
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    /** Makes the sequence of failures the same from run to run; null draws a new seed. */
    seed: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export type FaultSettings = Required<Static<typeof FaultSettingsBody>> & { readonly statuses: readonly FaultStatus[] };

export const noFaults: FaultSettings = { rate: 0, statuses: faultStatuses, routes: ['/**'], retryAfterSeconds: 1, seed: null };

/** Settings from a `PUT /_teamgraph/faults` body or the flags: what it leaves out takes its default (noFaults), never an earlier value. */
export function faultSettingsOf(body: unknown): FaultSettings {
  const [error] = Value.Errors(FaultSettingsBody, body);
  if (error !== undefined) throw badRequest(`Invalid fault settings: ${error.instancePath || 'the body'} ${error.message}.`);
  const given = body as Static<typeof FaultSettingsBody>;
  return {
    rate: given.rate,
    statuses: given.statuses ?? noFaults.statuses,
    routes: given.routes ?? noFaults.routes,
    retryAfterSeconds: given.retryAfterSeconds ?? noFaults.retryAfterSeconds,
    seed: given.seed ?? null,
  };
}

interface Matcher {
  readonly method: string | null;
  readonly path: (path: string) => boolean;
}

/**
 * The fault injector of one instance. Only Graph's own routes can fail (not the control plane, not the
 * authority); a `$batch` never fails as a whole, but each of its requests may, as Graph throttles and
 * fails them one by one.
 */
export class Faults {
  #settings: FaultSettings = noFaults;
  #matchers: readonly Matcher[] = [];
  #random = xoroshiro128plus(0);
  #injected = 0;

  constructor(settings: FaultSettings) {
    this.set(settings);
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** How many requests failed since the settings were last set: what a test reads to know its client retried. */
  get injected(): number {
    return this.#injected;
  }

  /** Takes effect at once; a seed starts its sequence again. */
  set(settings: FaultSettings): void {
    this.#settings = settings;
    this.#injected = 0;
    this.#matchers = settings.routes.map(matcherOf);
    this.#random = xoroshiro128plus(settings.seed ?? Math.floor(Math.random() * 2 ** 31));
  }

  register(app: FastifyInstance): void {
    app.addHook('onRequest', (request, _reply, done) => {
      done(this.draw(request) ?? undefined);
    });
  }

  /** The failure this request gets, if any. */
  draw(request: Pick<FastifyRequest, 'method' | 'url' | 'routeOptions'>): GraphError | null {
    const { rate, statuses, retryAfterSeconds } = this.#settings;
    if (rate <= 0 || statuses.length === 0 || !isGraphRoute(request.routeOptions.url)) return null;
    const path = request.url.split('?')[0] ?? '/';
    if (!this.#matchers.some((matcher) => (matcher.method === null || matcher.method === request.method) && matcher.path(path))) return null;
    if (uniformFloat64(this.#random) >= rate) return null;
    const status = statuses[uniformInt(this.#random, 0, statuses.length - 1)] as FaultStatus;
    const kind = faultKinds[status];
    this.#injected++;
    const headers = kind.retryAfter ? { 'retry-after': String(retryAfterSeconds) } : undefined;
    return new GraphError(kind.code, `${kind.what} (a fault injected by teamgraph's --faults).`, undefined, headers);
  }
}

/** A route of the Graph surface other than `$batch` itself, whose requests fail on their own. */
function isGraphRoute(url: string | undefined): boolean {
  return url !== undefined && /^\/(v1\.0|beta)\//.test(url) && !url.endsWith('/$batch');
}

function matcherOf(route: string): Matcher {
  const space = route.indexOf(' ');
  const [method, glob] = route.startsWith('/') || space < 0 ? [null, route] : [route.slice(0, space).toUpperCase(), route.slice(space + 1).trim()];
  return { method, path: picomatch(glob, { dot: true }) };
}
