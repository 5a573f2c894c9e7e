// `@odata.bind` values name an entity by URL, `…/users('{key}')` or `…/users/{key}`, on any host and
// version (chat-post.md, channel-post.md, team-post.md).
const patterns = new Map<string, RegExp>();

/**
 * The key a bind URL names in an entity set (e.g. `users`, `groups`, `appCatalogs/teamsApps`), with
 * its percent-escapes decoded; null when the URL names none there or its escapes are malformed.
 */
export function boundKey(entitySet: string, bind: unknown): string | null {
  if (typeof bind !== 'string') return null;
  let pattern = patterns.get(entitySet);
  if (pattern === undefined) {
    pattern = new RegExp(`/${entitySet}(?:\\('([^'()]+)'\\)|/([^/?#()']+))$`, 'i');
    patterns.set(entitySet, pattern);
  }
  const match = pattern.exec(bind);
  const key = match?.[1] ?? match?.[2];
  if (key === undefined) return null;
  try {
    return decodeURIComponent(key);
  } catch {
    return null;
  }
}
