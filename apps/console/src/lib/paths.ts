/** The console's URLs, in one place. Image names keep their `/` as path separators. */
const seg = (value: string) => encodeURIComponent(value);
const imagePath = (name: string) => name.split('/').map(seg).join('/');

export const paths = {
  login: '/login',
  repositories: '/repositories',
  repository: (repository: string) => `/repositories/${seg(repository)}`,
  repositoryUsers: (repository: string) => `/repositories/${seg(repository)}/users`,
  repositoryDeletionPolicy: (repository: string) => `/repositories/${seg(repository)}/deletion-policy`,
  image: (repository: string, image: string) => `/repositories/${seg(repository)}/images/${imagePath(image)}`,
  registries: '/registries',
  registry: (registry: string) => `/registries/${seg(registry)}`,
  /** An external registry's repository (`_` holds its top-level images) and one of its images, browsed read-only. */
  registryRepository: (registry: string, repository: string) => `/registries/${seg(registry)}/repositories/${seg(repository)}`,
  registryImage: (registry: string, repository: string, image: string) =>
    `/registries/${seg(registry)}/repositories/${seg(repository)}/images/${imagePath(image)}`,
};

/**
 * Where to go after signing in: only a path on this site (`/…`, not `//host` or `/\host`,
 * not the sign-in page itself), else the repository list.
 */
export function safeReturnPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) {
    return paths.repositories;
  }
  return next;
}
