/**
 * The newest state of each blob upload session, as the upstream last gave it.
 *
 * Distribution 2.8 signs an upload's offset into the `_state` query of every Location it
 * answers, and refuses a request that carries an older one (404 BLOB_UPLOAD_INVALID): a
 * client that retries a chunk after a lost answer, or asks where its upload stands with the
 * Location it first got, learns nothing. Berth remembers the newest `_state` per upload path
 * and sends that one upstream in place of an older one the client sent, so the upstream
 * answers with where the upload really is.
 *
 * Which state is newer is read from its offset (distribution's state is an HMAC followed by
 * JSON that names the offset; nothing is trusted from it: the upstream still checks its
 * signature). A client's state Berth cannot read, or one at the same or a later offset
 * (another Berth instance served the chunk in between), goes upstream as the client sent it.
 * Other registries put no `_state` in their Locations: nothing is remembered for them.
 */
export class UploadStates {
  private readonly states = new Map<string, { state: string; offset: number }>();

  constructor(private readonly max = 10_000) {}

  /** Notes the state in a Location the upstream answered (absolute or a path), if it is an upload's. */
  remember(location: string): void {
    const url = parse(location);
    const state = url?.searchParams.get('_state');
    if (!url || !state || !UPLOAD_PATH.test(url.pathname)) return;
    const offset = stateOffset(state);
    if (offset === null) return;
    const known = this.states.get(url.pathname);
    if (known && known.offset > offset) return;
    this.states.delete(url.pathname);
    this.states.set(url.pathname, { state, offset });
    // The oldest session goes first when the map is full.
    if (this.states.size > this.max) this.states.delete(this.states.keys().next().value!);
  }

  /** `path` (with its query) to send upstream: with the newest known state when the client's is older. */
  current(path: string): string {
    // Most requests (every blob and manifest read) carry no state: no URL is parsed for them.
    if (this.states.size === 0 || !path.includes('_state=')) return path;
    const url = parse(path);
    if (!url) return path;
    const known = this.states.get(url.pathname);
    const sent = url.searchParams.get('_state');
    if (!known || sent === null || sent === known.state) return path;
    const sentOffset = stateOffset(sent);
    if (sentOffset === null || sentOffset >= known.offset) return path;
    url.searchParams.set('_state', known.state);
    return url.pathname + url.search;
  }
}

const UPLOAD_PATH = /^\/v2\/.+\/blobs\/uploads\/[^/]+$/;

function parse(location: string): URL | null {
  try {
    return new URL(location, 'http://upstream');
  } catch {
    return null;
  }
}

/** The offset distribution wrote into an upload state (a 32-byte HMAC, then JSON), or null. */
export function stateOffset(state: string): number | null {
  try {
    const raw = Buffer.from(state, 'base64url');
    const json = JSON.parse(raw.subarray(32).toString('utf8')) as { Offset?: unknown };
    return typeof json.Offset === 'number' && Number.isSafeInteger(json.Offset) && json.Offset >= 0 ? json.Offset : null;
  } catch {
    return null;
  }
}
