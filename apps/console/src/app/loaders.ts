import type { QueryClient } from '@tanstack/react-query';
import { data, redirect, type LoaderFunction, type Params } from 'react-router';
import { artifactsQueryOptions, parseArtifactFilters } from '@/features/artifacts/api/get-artifacts';
import { repositoryDeletionPolicyQueryOptions } from '@/features/deletion-policies/api/get-repository-deletion-policy';
import { imageQueryOptions } from '@/features/images/api/get-image';
import { imagesQueryOptions, parseImageFilters } from '@/features/images/api/get-images';
import { registriesQueryOptions } from '@/features/registries/api/get-registries';
import { externalImagesQueryOptions, externalRepositoriesQueryOptions, externalTagsQueryOptions } from '@/features/registries/api/browse-registry';
import { registryQueryOptions } from '@/features/registries/api/get-registry';
import { parseRepositoryFilters, repositoriesQueryOptions } from '@/features/repositories/api/get-repositories';
import { repositoryQueryOptions } from '@/features/repositories/api/get-repository';
import { repositoryUsersQueryOptions } from '@/features/repository-users/api/get-repository-users';
import { artifactScanQueryOptions } from '@/features/scans/api/get-artifact-scan';
import { repositoryPullRestrictionQueryOptions } from '@/features/scans/api/get-repository-pull-restriction';
import { repositoryScanSettingsQueryOptions } from '@/features/scans/api/get-repository-scan-settings';
import { parseVulnerabilityFilters, vulnerabilitiesQueryOptions } from '@/features/scans/api/get-vulnerabilities';
import { vulnerabilityDatabaseQueryOptions } from '@/features/scans/api/get-vulnerability-database';
import { hasResults } from '@/features/scans/components/scan-status';
import { parseTagFilters, tagsQueryOptions } from '@/features/tags/api/get-tags';
import { paths } from '@/lib/paths';

/**
 * The pages' loaders live in the main bundle, not in the lazy page chunks: a navigation
 * starts its data requests at once, alongside the session check and the page's chunk,
 * instead of after the chunk has arrived.
 */
type Loader = (queryClient: QueryClient) => LoaderFunction;

/** The image name is the splat (it may contain `/`), without a trailing slash. */
export function imageName(params: Params): string {
  return (params['*'] ?? '').replace(/\/+$/, '');
}

/** The image page's tabs, in order; the tab is in `?tab=` (image names take the whole path), Artifacts by default. */
export const IMAGE_TABS = ['artifacts', 'tags', 'details', 'policy-test'] as const;
export type ImageTab = (typeof IMAGE_TABS)[number];
export const tabOf = (params: URLSearchParams): ImageTab => IMAGE_TABS.find((tab) => tab === params.get('tab')) ?? 'artifacts';

export const repositoriesLoader: Loader =
  (queryClient) =>
  async ({ request }) => {
    await queryClient.ensureInfiniteQueryData(repositoriesQueryOptions(parseRepositoryFilters(new URL(request.url).searchParams)));
    return null;
  };

export const repositoryLoader: Loader =
  (queryClient) =>
  async ({ params }) => {
    await queryClient.ensureQueryData(repositoryQueryOptions(params.repository ?? ''));
    return null;
  };

export const repositoryImagesLoader: Loader =
  (queryClient) =>
  async ({ params, request }) => {
    await queryClient.ensureInfiniteQueryData(imagesQueryOptions(params.repository ?? '', parseImageFilters(new URL(request.url).searchParams)));
    return null;
  };

export const repositoryDeletionPolicyLoader: Loader =
  (queryClient) =>
  async ({ params }) => {
    await queryClient.ensureQueryData(repositoryDeletionPolicyQueryOptions(params.repository ?? ''));
    return null;
  };

export const repositoryScanningLoader: Loader =
  (queryClient) =>
  async ({ params }) => {
    const repository = params.repository ?? '';
    await Promise.all([
      queryClient.ensureQueryData(repositoryScanSettingsQueryOptions(repository)),
      queryClient.ensureQueryData(repositoryPullRestrictionQueryOptions(repository)),
    ]);
    return null;
  };

/**
 * An artifact's scan: where it stands and the advisory database; with results (and the
 * Vulnerabilities tab open), their first page too. Without results the vulnerabilities are
 * not asked for (the server would answer SCAN_NOT_FOUND).
 */
export const artifactScanLoader: Loader =
  (queryClient) =>
  async ({ params, request }) => {
    const repository = params.repository ?? '';
    const digest = params.digest ?? '';
    const image = imageName(params);
    if (!image || !digest) throw data(null, { status: 404 });
    const search = new URL(request.url).searchParams;
    const [scan] = await Promise.all([
      queryClient.ensureQueryData(artifactScanQueryOptions(repository, image, digest)),
      queryClient.ensureQueryData(vulnerabilityDatabaseQueryOptions()),
    ]);
    if (hasResults(scan) && (search.get('tab') ?? 'vulnerabilities') === 'vulnerabilities') {
      await queryClient.ensureInfiniteQueryData(vulnerabilitiesQueryOptions(repository, image, digest, parseVulnerabilityFilters(search)));
    }
    return null;
  };

export const repositoryUsersLoader: Loader =
  (queryClient) =>
  async ({ params }) => {
    await queryClient.ensureQueryData(repositoryUsersQueryOptions(params.repository ?? ''));
    return null;
  };

export const imageLoader: Loader =
  (queryClient) =>
  async ({ params, request }) => {
    const repository = params.repository ?? '';
    const image = imageName(params);
    if (!image) throw data(null, { status: 404 });
    const search = new URL(request.url).searchParams;
    // The first rows need two requests; the registry's name (Details tab) and a policy test come later.
    const tab = tabOf(search);
    await Promise.all([
      queryClient.ensureQueryData(imageQueryOptions(repository, image)),
      tab === 'artifacts' ? queryClient.ensureInfiniteQueryData(artifactsQueryOptions(repository, image, parseArtifactFilters(search))) : null,
      tab === 'tags' ? queryClient.ensureInfiniteQueryData(tagsQueryOptions(repository, image, parseTagFilters(search))) : null,
    ]);
    return null;
  };

export const registriesLoader: Loader =
  (queryClient) =>
  async ({ request }) => {
    await queryClient.ensureInfiniteQueryData(registriesQueryOptions(new URL(request.url).searchParams.get('q')?.trim() ?? ''));
    return null;
  };

/*
 * An external registry's content is read from it, and it may refuse: one that does not list
 * its catalog (CATALOG_UNAVAILABLE), an account it no longer accepts, a host that is down. Those
 * reads are prefetched (a failure is kept for the page to show, with what to do) rather than
 * ensured (which would make it the route's error).
 */

export const registryLoader: Loader =
  (queryClient) =>
  async ({ params, request }) => {
    const name = params.registry ?? '';
    const registry = await queryClient.ensureQueryData(registryQueryOptions(name));
    if (registry.kind === 'external') {
      await queryClient.prefetchInfiniteQuery(externalRepositoriesQueryOptions(name, new URL(request.url).searchParams.get('q')?.trim() ?? ''));
    }
    return null;
  };

/** The managed registry is browsed under /repositories: its browse URLs lead there. */
export const registryRepositoryLoader: Loader =
  (queryClient) =>
  async ({ params, request }) => {
    const name = params.registry ?? '';
    const repository = params.repository ?? '';
    const registry = await queryClient.ensureQueryData(registryQueryOptions(name));
    if (registry.kind === 'managed') throw redirect(paths.repository(repository));
    await queryClient.prefetchInfiniteQuery(externalImagesQueryOptions(name, repository, new URL(request.url).searchParams.get('q')?.trim() ?? ''));
    return null;
  };

export const registryImageLoader: Loader =
  (queryClient) =>
  async ({ params }) => {
    const name = params.registry ?? '';
    const repository = params.repository ?? '';
    const image = imageName(params);
    if (!image) throw data(null, { status: 404 });
    const registry = await queryClient.ensureQueryData(registryQueryOptions(name));
    if (registry.kind === 'managed') throw redirect(paths.image(repository, image));
    await queryClient.prefetchInfiniteQuery(externalTagsQueryOptions(name, repository, image));
    return null;
  };
