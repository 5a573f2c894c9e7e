import { LRUCache } from 'lru-cache';

// Requests decided on the facts an instance last read, acted on only while the database still holds
// them, else decided again on facts read afresh (docs/decisions.md 88, 105).

/** What a decision on facts gives: the value to act on, or the refusal fresh facts answer with. */
export type Decision<T> = { readonly allowed: true; readonly value: T } | { readonly allowed: false; readonly refusal: Error };

/**
 * A decision written as code that throws its refusals: an error of the refusal type becomes the
 * decision's refusal, any other error (a defect) goes on up.
 */
export function decision<T>(refusalType: abstract new (...args: never[]) => Error, decide: () => T): Decision<T> {
  try {
    return { allowed: true, value: decide() };
  } catch (err) {
    if (err instanceof refusalType) return { allowed: false, refusal: err };
    throw err;
  }
}

// Bounds the facts each cache remembers: past it the least recently used are forgotten, and the next
// request that needs them reads them again.
const rememberedMax = 10_000;

/** Facts last read per key, at most `max`; with the switch off (`--remembered-facts off`) none are kept. */
export class RememberedFacts<F extends NonNullable<unknown>> {
  private readonly cache: LRUCache<string, F> | null;

  constructor(isOn: boolean, max = rememberedMax) {
    this.cache = isOn ? new LRUCache<string, F>({ max }) : null;
  }

  recall(key: string): F | undefined {
    return this.cache?.get(key);
  }

  remember(key: string, facts: F): void {
    this.cache?.set(key, facts);
  }

  forgetAll(): void {
    this.cache?.clear();
  }
}

/** A request decided on facts: the one decision, and how to act on it warm and fresh. */
export interface OnFacts<F, T, R> {
  /** The facts remembered for the request, or undefined: there is no warm path then. */
  readonly remembered: F | undefined;
  /** Reads the facts afresh (and remembers them). */
  readonly read: () => Promise<F>;
  /** The decision, synchronous and pure: the same function on both paths. */
  readonly decide: (facts: F) => Decision<T>;
  /** Acts on a decision made on remembered facts only while the database still holds them; undefined when it did nothing. */
  readonly guarded: (decided: T, facts: F) => Promise<R | undefined>;
  /** Acts on a decision made on fresh facts. */
  readonly fresh: (decided: T, facts: F) => Promise<R>;
}

/**
 * Decides on remembered facts and acts guarded by them; when they refuse, or the guarded act does
 * nothing, reads the facts afresh, decides again by the same function and acts. A refusal is only
 * ever answered on fresh facts, and a warm decision is the one cold facts would give.
 */
export async function onFacts<F, T, R>(steps: OnFacts<F, T, R>): Promise<R> {
  const { remembered } = steps;
  if (remembered !== undefined) {
    const warm = steps.decide(remembered);
    if (warm.allowed) {
      const done = await steps.guarded(warm.value, remembered);
      if (done !== undefined) return done;
    }
  }
  const facts = await steps.read();
  return steps.fresh(valueOf(steps.decide(facts)), facts);
}

/** A decision on facts read afresh, for a request that has no warm path: its value, or its refusal thrown. */
export async function onFreshFacts<F, T>(read: () => Promise<F>, decide: (facts: F) => Decision<T>): Promise<T> {
  return valueOf(decide(await read()));
}

function valueOf<T>(decided: Decision<T>): T {
  if (!decided.allowed) throw decided.refusal;
  return decided.value;
}
