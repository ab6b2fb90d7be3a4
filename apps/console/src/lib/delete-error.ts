import type { TFunction } from 'i18next';
import { isApiError } from './api-client';
import { shortDigest } from './format';

/** What the console knows about the thing a delete was refused for, to say why in words. */
export interface DeleteErrorContext {
  /** The artifact asked for (REFERENCED names it). */
  digest?: string;
  /** The tag asked for (TAG_NOT_FOUND names it). */
  tag?: string;
  /** The locked tags on it, as listed. */
  lockedTags?: readonly string[];
  /** Whether the image is locked, as listed. */
  imageLocked?: boolean;
  /** What was asked: a delete (the default) or a lock change, which BUSY refuses while a delete is under way or has failed. */
  change?: 'delete' | 'lock';
  /** What the referrer named in a REFERENCED answer is: an index listing it, or an artifact (signature, SBOM) referring to it. */
  referrerKind?: (referrer: string) => 'index' | 'referrer' | undefined;
}

/** A string field of an error's `details`, if it has one. */
function detail(details: unknown, key: string): string | undefined {
  const value = details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The referrer a REFERENCED answer names in `error.details.referrer`. */
export const referrerOf = (details: unknown): string | undefined => detail(details, 'referrer');

/** Why something locked can't be deleted: the locked tags by name, else the image lock, else just "locked". */
export function lockedMessage(t: TFunction, ctx: Pick<DeleteErrorContext, 'lockedTags' | 'imageLocked'>): string {
  if (ctx.lockedTags && ctx.lockedTags.length > 0) {
    return t('deleteErrors.tagLocked', { count: ctx.lockedTags.length, tags: ctx.lockedTags.join(', ') });
  }
  return ctx.imageLocked ? t('deleteErrors.imageLocked') : t('deleteErrors.locked');
}

/**
 * Why a delete (of an image, an artifact or a tag), a lock change or a policy run was refused, in the UI
 * language: the lifecycle error codes in words, with the digests and tags they concern; any
 * other error in the server's own words.
 */
export function deleteErrorMessage(t: TFunction, error: unknown, ctx: DeleteErrorContext = {}): string {
  if (!isApiError(error)) return error instanceof Error && error.message ? error.message : t('errors.unknown');
  const digest = ctx.digest ? shortDigest(ctx.digest) : '';
  switch (error.code) {
    case 'LOCKED': {
      // The server says what is locked (`details.locked`: image or tag, `details.tag`); else what the list shows.
      const tag = detail(error.details, 'tag');
      if (detail(error.details, 'locked') === 'image') return t('deleteErrors.imageLocked');
      return lockedMessage(t, tag ? { lockedTags: [tag] } : ctx);
    }
    case 'REFERENCED': {
      const referrer = referrerOf(error.details);
      if (!referrer) return t('deleteErrors.referenced', { digest });
      // `details.kind` (index-child, subject) when the server gives it; else what the list shows of the referrer.
      const given = detail(error.details, 'kind');
      const kind = given ? (given === 'index-child' ? 'index' : 'referrer') : ctx.referrerKind?.(referrer);
      const key = kind === 'index' ? 'deleteErrors.referencedByIndex' : kind === 'referrer' ? 'deleteErrors.referencedBy' : 'deleteErrors.referencedByAny';
      return t(key, { digest, referrer: shortDigest(referrer) });
    }
    case 'UPSTREAM_REFUSED':
      return t('deleteErrors.upstreamRefused');
    case 'BUSY':
      return ctx.change === 'lock' ? t('deleteErrors.notActive') : t('deleteErrors.busy');
    case 'TAG_NOT_FOUND':
      return t('deleteErrors.tagNotFound', { tag: ctx.tag ?? '' });
    case 'ARTIFACT_NOT_FOUND':
      return t('deleteErrors.artifactNotFound');
    case 'POLICY_DISABLED':
      return t('deleteErrors.policyDisabled');
    case 'POLICY_CHANGED':
      return t('deleteErrors.policyChanged');
    case 'FORBIDDEN':
      return t('errors.forbidden');
    default:
      return error.message || t('errors.unknown');
  }
}
