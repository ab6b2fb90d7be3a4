import type { Platform } from '@berth/api';

/** `linux/arm64/v8`, `windows/amd64 10.0.17763`. */
export function platformLabel(p: Platform): string {
  const base = [p.os, p.architecture, p.variant].filter(Boolean).join('/');
  return p.osVersion ? `${base} ${p.osVersion}` : base;
}
