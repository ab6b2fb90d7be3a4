import { stateOffset } from './upload-states.ts';

/**
 * The start of a chunk's `Content-Range` (`<start>-<end>`, with or without `bytes `, with or
 * without a `/<length>`), or null when it is not one.
 */
export function contentRangeStart(header: string): number | null {
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && end >= start ? start : null;
}

/**
 * How many bytes an upload session holds, from the registry's answer to a GET on it. Its
 * `Range: 0-<end>` says `end + 1`, except `0-0`, which registries send for an empty
 * session and for one byte alike; for that, distribution's `_state` in the `Location`
 * (a signed token whose JSON names the offset, checked by distribution on every request)
 * decides. Null when the answer does not tell.
 */
export function uploadOffset(range: string | undefined, location: string | undefined): number | null {
  const m = /^(?:bytes=)?0-(\d+)$/.exec(range?.trim() ?? '');
  if (!m) return null;
  const end = Number(m[1]);
  if (end > 0) return end + 1;
  return locationOffset(location);
}

/** The `Offset` in distribution's `_state` of an upload Location, or null. */
function locationOffset(location: string | undefined): number | null {
  if (!location) return null;
  const state = new URL(location, 'http://upstream').searchParams.get('_state');
  return state ? stateOffset(state) : null;
}
