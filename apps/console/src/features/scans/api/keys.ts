import type { ListVulnerabilitiesQuery, Severity } from '@berth/api';

export type VulnerabilitySort = ListVulnerabilitiesQuery['sort'];

/** Filter, sort and search of an artifact's vulnerabilities, as kept in the URL. */
export interface VulnerabilityFilters {
  sort: VulnerabilitySort;
  order: 'asc' | 'desc';
  /** Advisory id, alias, package or title substring. */
  q: string;
  /** Only these levels; empty: all. */
  severity: Severity[];
  /** Only vulnerabilities a version fixes. */
  fixable: boolean;
}

/** Query keys of the scans feature, generic to specific. */
export const scanKeys = {
  all: ['scans'] as const,
  database: () => [...scanKeys.all, 'database'] as const,
  imageSettings: () => [...scanKeys.all, 'image-settings'] as const,
  imageSetting: (repository: string, image: string) => [...scanKeys.imageSettings(), repository, image] as const,
  repositorySettings: () => [...scanKeys.all, 'repository-settings'] as const,
  repositorySetting: (repository: string) => [...scanKeys.repositorySettings(), repository] as const,
  imageRestrictions: () => [...scanKeys.all, 'image-restriction'] as const,
  imageRestriction: (repository: string, image: string) => [...scanKeys.imageRestrictions(), repository, image] as const,
  repositoryRestrictions: () => [...scanKeys.all, 'repository-restriction'] as const,
  repositoryRestriction: (repository: string) => [...scanKeys.repositoryRestrictions(), repository] as const,
  artifacts: () => [...scanKeys.all, 'artifact'] as const,
  image: (repository: string, image: string) => [...scanKeys.artifacts(), repository, image] as const,
  artifact: (repository: string, image: string, digest: string) => [...scanKeys.image(repository, image), digest] as const,
  scan: (repository: string, image: string, digest: string) => [...scanKeys.artifact(repository, image, digest), 'scan'] as const,
  vulnerabilityLists: (repository: string, image: string, digest: string) => [...scanKeys.artifact(repository, image, digest), 'vulnerabilities'] as const,
  vulnerabilities: (repository: string, image: string, digest: string, filters: VulnerabilityFilters) =>
    [...scanKeys.vulnerabilityLists(repository, image, digest), filters] as const,
  secrets: (repository: string, image: string, digest: string) => [...scanKeys.artifact(repository, image, digest), 'secrets'] as const,
};
