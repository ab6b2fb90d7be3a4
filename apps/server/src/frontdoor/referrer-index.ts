import { MediaType } from '@berth/oci';
import type { ManifestDescriptor, ReferrerRecord } from '@berth/store';

/** One entry of a referrers answer: the descriptor of a manifest whose subject was asked for. */
export interface ReferrerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** The image index the referrers API answers. */
export interface ReferrerIndex {
  schemaVersion: 2;
  mediaType: typeof MediaType.OciIndex;
  manifests: ReferrerDescriptor[];
}

/**
 * The descriptor of a referrer. Its artifact type is the manifest's own `artifactType`,
 * else (an image manifest) its config's media type, as the distribution spec has it.
 */
export function referrerDescriptor(record: Pick<ReferrerRecord, 'digest' | 'mediaType' | 'artifactType'>, d: ManifestDescriptor): ReferrerDescriptor {
  const artifactType = record.artifactType ?? d.configMediaType;
  return {
    mediaType: record.mediaType,
    digest: record.digest,
    size: d.manifestSize,
    ...(artifactType ? { artifactType } : {}),
    ...(d.annotations ? { annotations: d.annotations } : {}),
  };
}

/** The referrers answer: every descriptor, or with `artifactType` only those of that type. */
export function referrerIndex(descriptors: readonly ReferrerDescriptor[], artifactType: string | null): ReferrerIndex {
  const manifests = artifactType === null ? [...descriptors] : descriptors.filter((d) => d.artifactType === artifactType);
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests };
}
