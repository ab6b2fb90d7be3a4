import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ExternalImage, ExternalRepository, ExternalTag, Page } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { registryKeys } from './keys';

/**
 * Reading an external registry: its repositories, a repository's images, an image's tags (each
 * with what its manifest says) and a manifest as served. Nothing here changes the registry.
 */
export const BROWSE_PAGE_SIZE = 50;
/** Each tag on a page costs Berth one manifest read from the registry: pages stay small. */
export const TAG_PAGE_SIZE = 25;

const base = (registry: string) => `/registries/${seg(registry)}/repositories`;

export function externalRepositoriesQueryOptions(registry: string, q: string) {
  return infiniteQueryOptions({
    queryKey: registryKeys.repositories(registry, q),
    queryFn: ({ pageParam, signal }): Promise<Page<ExternalRepository>> =>
      api.get(base(registry), { limit: BROWSE_PAGE_SIZE, cursor: pageParam, q: q || undefined }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
    retry: false,
    // The loader's failed read (a registry that does not list its catalog) is shown, not sent again on mount.
    retryOnMount: false,
  });
}

export function externalImagesQueryOptions(registry: string, repository: string, q: string) {
  return infiniteQueryOptions({
    queryKey: registryKeys.images(registry, repository, q),
    queryFn: ({ pageParam, signal }): Promise<Page<ExternalImage>> =>
      api.get(`${base(registry)}/${seg(repository)}/images`, { limit: BROWSE_PAGE_SIZE, cursor: pageParam, q: q || undefined }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
    retry: false,
    // The loader's failed read (a registry that does not list its catalog) is shown, not sent again on mount.
    retryOnMount: false,
  });
}

export function externalTagsQueryOptions(registry: string, repository: string, image: string) {
  return infiniteQueryOptions({
    queryKey: registryKeys.tags(registry, repository, image),
    queryFn: ({ pageParam, signal }): Promise<Page<ExternalTag>> =>
      api.get(`${base(registry)}/${seg(repository)}/images/${seg(image)}/tags`, { limit: TAG_PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
    retry: false,
    // The loader's failed read (a registry that does not list its catalog) is shown, not sent again on mount.
    retryOnMount: false,
  });
}

export const useExternalRepositories = (registry: string, q: string) => useInfiniteQuery({ ...externalRepositoriesQueryOptions(registry, q), placeholderData: keepPreviousData });
export const useExternalImages = (registry: string, repository: string, q: string) =>
  useInfiniteQuery({ ...externalImagesQueryOptions(registry, repository, q), placeholderData: keepPreviousData });
export const useExternalTags = (registry: string, repository: string, image: string) => useInfiniteQuery(externalTagsQueryOptions(registry, repository, image));

/** A manifest exactly as the external registry serves it. */
export interface ExternalManifest {
  bytes: Uint8Array;
  text: string;
  mediaType: string;
  digest: string;
}

/** GET /registries/{registry}/repositories/{repository}/images/{image}/manifests/{reference}: raw bytes, content type = its media type. */
export async function getExternalManifest(registry: string, repository: string, image: string, reference: string, signal?: AbortSignal): Promise<ExternalManifest> {
  const { bytes, headers } = await api.getBytes(`${base(registry)}/${seg(repository)}/images/${seg(image)}/manifests/${seg(reference)}`, signal);
  return { bytes, text: new TextDecoder().decode(bytes), mediaType: headers.get('content-type') ?? '', digest: headers.get('docker-content-digest') ?? '' };
}

export function externalManifestQueryOptions(registry: string, repository: string, image: string, reference: string) {
  return queryOptions({
    queryKey: registryKeys.manifest(registry, repository, image, reference),
    queryFn: ({ signal }) => getExternalManifest(registry, repository, image, reference, signal),
    // A manifest by digest never changes; keep the bytes as they are.
    staleTime: reference.includes(':') ? Infinity : 0,
    structuralSharing: false,
    retry: false,
  });
}

export const useExternalManifest = (registry: string, repository: string, image: string, reference: string) =>
  useQuery(externalManifestQueryOptions(registry, repository, image, reference));
