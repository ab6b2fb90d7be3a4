// Lock rules, the same on /v2 (manifest PUT and DELETE) and in the API.
//
// Image lock: no manifest push (new tag, existing tag, by digest) and no delete; settings
// changes through the API stay possible, so the image can be described and unlocked.
// Tag lock: the tag cannot move to another digest nor be deleted, and neither can an
// artifact carrying it; re-pushing the digest it already points at is fine.

/** A change to an image's manifests or settings that a lock may refuse. */
export type ManifestChange =
  /** `tag`: null for a push by digest. `currentDigest`: what the tag points at now (null: a new tag). */
  | { kind: 'push'; tag: string | null; digest: string; currentDigest: string | null }
  | { kind: 'delete-tag'; tag: string }
  | { kind: 'delete-artifact'; digest: string; tags: string[] }
  /** A settings change through the API other than the lock itself. */
  | { kind: 'update-image' };

/** The locks of one image. */
export interface LockState {
  imageLocked: boolean;
  lockedTags: ReadonlySet<string>;
}

/** Why a lock refuses a change; `message` is what the client (docker, the console) is told. */
export interface LockRefusal {
  locked: 'image' | 'tag';
  /** The locked tag, for `locked: 'tag'`. */
  tag?: string;
  message: string;
}

/** Null when the locks allow `change`; else which lock refuses it. `image` (e.g. `team/app`) only words the message. */
export function lockVerdict(state: LockState, change: ManifestChange, image?: string): LockRefusal | null {
  if (change.kind === 'update-image') return null;
  if (state.imageLocked) return { locked: 'image', message: image === undefined ? 'the image is locked' : `image ${image} is locked` };
  const refuse = (tag: string): LockRefusal => ({ locked: 'tag', tag, message: image === undefined ? `tag ${tag} is locked` : `tag ${tag} of ${image} is locked` });
  switch (change.kind) {
    case 'push':
      // A locked tag with no current digest should not exist; refusing is the safe reading.
      return change.tag !== null && state.lockedTags.has(change.tag) && change.currentDigest !== change.digest ? refuse(change.tag) : null;
    case 'delete-tag':
      return state.lockedTags.has(change.tag) ? refuse(change.tag) : null;
    case 'delete-artifact': {
      const locked = change.tags.find((t) => state.lockedTags.has(t));
      return locked === undefined ? null : refuse(locked);
    }
  }
}
