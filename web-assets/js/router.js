// Hash routing: `#/backups/nightly?x=y` → segments ['backups', 'nightly'] and a URLSearchParams. The hash holds
// names and filters only, never the token.

/** Parses a location hash. */
export function parseHash(hash) {
  const text = String(hash || '').replace(/^#/, '');
  const mark = text.indexOf('?');
  const pathPart = mark < 0 ? text : text.slice(0, mark);
  const queryPart = mark < 0 ? '' : text.slice(mark + 1);
  const segments = pathPart.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { segments, query: new URLSearchParams(queryPart) };
}

/** A route's hash: `href(['backups', name], {phase: 'Failed'})`; empty query values are left out. */
export function href(segments, query = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return `#/${segments.map((part) => encodeURIComponent(part)).join('/')}${text ? `?${text}` : ''}`;
}

/**
 * Finds the route whose pattern matches `segments`; `:name` captures one segment.
 * Answers `{route, params}` or null.
 */
export function match(routes, segments) {
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params = {};
    const matched = route.pattern.every((part, index) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = segments[index];
        return true;
      }
      return part === segments[index];
    });
    if (matched) return { route, params };
  }
  return null;
}
