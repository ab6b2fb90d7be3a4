import type { ArtifactChild } from '@berth/api';

/**
 * `<image>_<tag-or-digest>.json`, safe as a file name on every system: `/` in the image name
 * and `:` in a digest become `_`.
 */
export function manifestFileName(image: string, reference: string): string {
  return `${image}_${reference}.json`.replace(/[/\\:*?"<>|]/g, '_');
}

/** Saves bytes as a file in the browser, untouched. */
export function saveBytes(bytes: Uint8Array, fileName: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mediaType || 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The manifest as indented JSON for reading; the text itself when it does not parse. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The child manifests an index lists (for a window opened on an artifact the list has not loaded). */
export function indexChildren(text: string | undefined): ArtifactChild[] {
  if (!text) return [];
  try {
    const o = JSON.parse(text) as { manifests?: unknown };
    if (!Array.isArray(o.manifests)) return [];
    return o.manifests.flatMap((m: Record<string, unknown>): ArtifactChild[] => {
      if (typeof m?.digest !== 'string') return [];
      const p = m.platform as Record<string, unknown> | undefined;
      const platform =
        p && typeof p.os === 'string' && typeof p.architecture === 'string'
          ? { os: p.os, architecture: p.architecture, ...(typeof p.variant === 'string' ? { variant: p.variant } : {}) }
          : null;
      return [{ digest: m.digest, mediaType: String(m.mediaType ?? ''), size: Number(m.size ?? 0), platform }];
    });
  } catch {
    return [];
  }
}
