/** Pages `all` like the service: `cursor` is an offset, `limit` the page size. */
export function pageOf<T>(all: readonly T[], url: URL, defaultLimit: number): { items: T[]; next_cursor: string | null } {
  const limit = Number(url.searchParams.get('limit') ?? defaultLimit);
  const start = Number(url.searchParams.get('cursor') ?? 0);
  return { items: all.slice(start, start + limit), next_cursor: start + limit < all.length ? String(start + limit) : null };
}
