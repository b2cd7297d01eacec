// The bearer token of this browser tab. It lives in sessionStorage only: never in the URL, a cookie or a log,
// and it is gone when the tab closes or the user signs out.

const KEY = 'lifeboat.token';

/** The stored token, or null when signed out (or when storage is unavailable). */
export function getToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Stores the token for this tab. */
export function setToken(token) {
  sessionStorage.setItem(KEY, token);
}

/** Forgets the token. */
export function clearToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: there is nothing to forget.
  }
}
