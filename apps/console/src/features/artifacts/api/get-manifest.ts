import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { artifactKeys } from './keys';

/** A manifest exactly as the registry serves it. */
export interface Manifest {
  /** The bytes as served: what Download saves and Copy copies. */
  bytes: Uint8Array;
  /** The bytes as UTF-8 text. */
  text: string;
  mediaType: string;
  digest: string;
}

/** GET /repositories/{repository}/images/{image}/manifests/{reference}: raw bytes, not a pull. */
export async function getManifest(repository: string, image: string, reference: string, signal?: AbortSignal): Promise<Manifest> {
  const { bytes, headers } = await api.getBytes(`/repositories/${seg(repository)}/images/${seg(image)}/manifests/${seg(reference)}`, signal);
  return {
    bytes,
    text: new TextDecoder().decode(bytes),
    mediaType: headers.get('content-type') ?? '',
    digest: headers.get('docker-content-digest') ?? '',
  };
}

export function manifestQueryOptions(repository: string, image: string, reference: string) {
  return queryOptions({
    queryKey: artifactKeys.manifest(repository, image, reference),
    queryFn: ({ signal }) => getManifest(repository, image, reference, signal),
    // A manifest by digest never changes; keep the bytes as they are.
    staleTime: reference.includes(':') ? Infinity : 0,
    structuralSharing: false,
  });
}

export function useManifest(repository: string, image: string, reference: string) {
  return useQuery(manifestQueryOptions(repository, image, reference));
}
