/**
 * The signed-in access key. It lives in sessionStorage only (gone when the tab closes) and leaves
 * the browser only as a SigV4 signature: the SDK signs each request with it.
 */
export type Session = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  endpoint: string;
};

const KEY = "osm-console-session";

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The API answers at `/` of the origin that serves the console, locally and deployed. */
export function defaultEndpoint(): string {
  return location.origin;
}
