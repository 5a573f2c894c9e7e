/** `Prefer: include-unknown-enum-members` unmasks evolvable enum members (graph-surface.md 1.12). */
export function includesUnknownEnumMembers(headers: Readonly<Record<string, string | undefined>>): boolean {
  return /(^|[,\s])include-unknown-enum-members($|[,\s;])/i.test(headers.prefer ?? '');
}
