import type { ArtifactChild } from '@berth/api';

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
