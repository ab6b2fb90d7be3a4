import { CursorError } from './types.ts';

/** Opaque cursor: the last row's sort value and id. */
export function encodeCursor(value: string | number | null, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { value: string | number | null; id: number } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number' || parsed[0] === null) &&
      Number.isSafeInteger(parsed[1])
    ) {
      return { value: parsed[0] as string | number | null, id: parsed[1] as number };
    }
  } catch {
    /* fall through */
  }
  throw new CursorError('cursor is not valid');
}

/** `%q%` for LIKE, with `\` escaping the wildcard characters. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
