import { z } from 'zod';
import { accountList, account, createAccountRequest, loginRequest, me } from './auth.ts';
import { API_ERRORS, type ApiErrorCode } from './errors.ts';
import {
  artifact,
  image,
  listArtifactsQuery,
  listImagesQuery,
  listTagsQuery,
  page,
  tag,
  updateImageRequest,
} from './images.ts';
import {
  deleteArtifactsResponse,
  deleteTagsRequest,
  deleteTagsResponse,
  deletionPolicy,
  imageDeletionPolicy,
  policyRunRequest,
  policyRunResponse,
  policyTestResponse,
  putImageDeletionPolicy,
  repositoryDeletionPolicy,
  tagDeleteResult,
  updateTagRequest,
} from './lifecycle.ts';
import { imageConfigSummary, MANIFEST_MEDIA_TYPES, manifestDocument } from './manifests.ts';
import {
  browseQuery,
  browseTagsQuery,
  connectionTest,
  createRegistryRequest,
  deleteRegistryQuery,
  deleteRegistryResult,
  externalImage,
  externalRepository,
  externalTag,
  gcReport,
  gcRequest,
  listRegistriesQuery,
  registry,
  registryConnectionRequest,
  registryDetail,
  retestRegistryRequest,
  syncResult,
  updateRegistryRequest,
} from './registries.ts';
import {
  createRepositoryRequest,
  createRepositoryUserRequest,
  listRepositoriesQuery,
  repository,
  repositoryUser,
  repositoryUserList,
  repositoryUserWithSecret,
  updateRepositoryRequest,
  updateRepositoryUserRequest,
} from './repositories.ts';
import {
  artifactScan,
  cycloneDxDocument,
  imagePullRestriction,
  imageScanSettings,
  listVulnerabilitiesQuery,
  pullRestriction,
  putImagePullRestriction,
  putImageScanSettings,
  repositoryPullRestriction,
  repositoryScanSettings,
  scanReport,
  scanRequested,
  scanSettings,
  secretList,
  vulnerabilityDatabase,
  vulnerabilityPage,
} from './scans.ts';

// The table of every /api/v1 endpoint: what the OpenAPI document is built from and what
// the integration tests hold every response to. A route the server adds goes here too.

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an endpoint: `public` (no credentials), `account` (any signed-in account:
 * session cookie, or Basic), `admin` (an admin account).
 */
export type Access = 'public' | 'account' | 'admin';

/** The groups the document's operations are listed under. */
export const ENDPOINT_TAGS = {
  auth: 'Sign-in and console accounts',
  repositories: 'Repositories and repository users',
  images: 'Images, artifacts and tags',
  lifecycle: 'Locks, deletes and deletion policies',
  scans: 'Scanning and pull restriction',
  manifests: 'Manifests and image configs',
  registries: 'Managed and external registries',
  meta: 'This document',
} as const;
export type EndpointTag = keyof typeof ENDPOINT_TAGS;

/** One status an endpoint may answer. */
export interface EndpointResponse {
  description: string;
  /** The body's schema; absent: no body (204). */
  schema?: z.ZodType;
  /** Media types the body may have; absent: `application/json`. */
  contentTypes?: readonly string[];
  /** For an error status: the codes its `{error: {code}}` body may carry. */
  codes?: readonly ApiErrorCode[];
}

/** One /api/v1 endpoint: method, path template (relative to /api/v1), input and every answer. */
export interface Endpoint {
  method: HttpMethod;
  /** `/repositories/{repository}/images/{image}`: each `{param}` is one URL-encoded path segment. */
  path: string;
  operationId: string;
  summary: string;
  tag: EndpointTag;
  access: Access;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out (the route reads `{}` then). */
  bodyOptional?: boolean;
  /** Every status it may answer, successes and errors. */
  responses: Readonly<Record<number, EndpointResponse>>;
}

/** The path parameters the templates use, and what each holds. */
export const PATH_PARAMS: Readonly<Record<string, string>> = {
  repository: 'Repository name (the first path component of image names).',
  image: 'Image name inside the repository; it may contain `/`, sent URL-encoded (`a%2Fb`).',
  tag: 'Tag name.',
  digest: 'Artifact digest (`sha256:…`).',
  reference: 'A tag or a digest.',
  user: 'Repository user name.',
  registry: 'Registry name; `default` is the managed registry.',
};

/** `GET /openapi.json`: this document; only the fields that say what it is are named. */
export const openApiDocumentShape = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

const repositoryPage = page(repository);
const imagePage = page(image);
const artifactPage = page(artifact);
const tagPage = page(tag);
const registryPage = page(registry);
const externalRepositoryPage = page(externalRepository);
const externalImagePage = page(externalImage);
const externalTagPage = page(externalTag);

/** Named response schemas that are not contract exports of their own, for the document's components. */
export const PAGE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  RepositoryPage: repositoryPage,
  ImagePage: imagePage,
  ArtifactPage: artifactPage,
  TagPage: tagPage,
  RegistryPage: registryPage,
  ExternalRepositoryPage: externalRepositoryPage,
  ExternalImagePage: externalImagePage,
  ExternalTagPage: externalTagPage,
};

/** What an endpoint is, before the answers every endpoint shares are added. */
interface EndpointSpec extends Omit<Endpoint, 'responses'> {
  /** Success answers by status. */
  ok: Readonly<Record<number, EndpointResponse>>;
  /** Error codes of its own (the ones shared by every endpoint are added). */
  errors?: readonly ApiErrorCode[];
}

const json = (description: string, schema: z.ZodType): EndpointResponse => ({ description, schema });
const noContent: EndpointResponse = { description: 'Done; no body.' };

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is not valid.',
  401: 'Not signed in, or wrong credentials.',
  403: 'Not allowed: the admin role is needed, or the CSRF header is missing.',
  404: 'Not found.',
  408: 'The request body arrived too slowly.',
  409: 'Conflicts with the current state.',
  413: 'The request body is too large.',
  415: 'The request body encoding is not supported.',
  422: 'The connection test failed; nothing was saved.',
  429: 'Too many requests.',
  500: 'Internal error (details are logged, never sent).',
  502: 'The registry failed or refused.',
  503: 'Not available yet.',
  507: 'The database\u2019s disk is full or read-only; nothing was changed.',
};

/** The `{error}` body of one status, its `code` narrowed to the codes that status may carry. */
export function errorBody(codes: readonly ApiErrorCode[]): z.ZodType {
  return z.object({
    error: z.object({
      code: z.enum(codes as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  });
}

/** The codes every endpoint of a kind may answer: authentication, CSRF, role, body and query parsing, lookups. */
function sharedErrors(spec: EndpointSpec): ApiErrorCode[] {
  const codes: ApiErrorCode[] = ['INTERNAL'];
  if (spec.access !== 'public') codes.push('UNAUTHENTICATED', 'INVALID_CREDENTIALS');
  if (spec.access !== 'public' && spec.method !== 'get') codes.push('CSRF_FAILED');
  if (spec.method !== 'get') codes.push('STORAGE_FULL', 'STORAGE_READ_ONLY');
  if (spec.access === 'admin') codes.push('FORBIDDEN');
  if (spec.body) codes.push('BAD_REQUEST', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'REQUEST_TIMEOUT');
  if (spec.query) codes.push('VALIDATION_FAILED');
  if (spec.query?.shape.cursor) codes.push('INVALID_CURSOR');
  // Everything under a managed repository looks the repository up first, then the image.
  if (spec.path.startsWith('/repositories/{repository}')) codes.push('REPOSITORY_NOT_FOUND');
  if (spec.path.startsWith('/repositories/{repository}/images/{image}')) codes.push('IMAGE_NOT_FOUND');
  return codes;
}

function endpoint(spec: EndpointSpec): Endpoint {
  const { ok, errors = [], ...rest } = spec;
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of new Set([...sharedErrors(spec), ...errors])) {
    const status = API_ERRORS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, EndpointResponse> = { ...ok };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error.', schema: errorBody(codes), codes };
  }
  return { ...rest, responses };
}

const IMAGE = '/repositories/{repository}/images/{image}';
const ARTIFACT = `${IMAGE}/artifacts/{digest}`;
const EXTERNAL_IMAGE = '/registries/{registry}/repositories/{repository}/images/{image}';
const EXTERNAL: readonly ApiErrorCode[] = ['REGISTRY_NOT_FOUND', 'REGISTRY_UNSUPPORTED', 'UPSTREAM_UNAVAILABLE'];

/** Every /api/v1 endpoint, grouped as the server's routers are. */
export const ENDPOINTS: readonly Endpoint[] = [
  // Sign-in and accounts
  endpoint({
    method: 'post', path: '/auth/login', operationId: 'login', tag: 'auth', access: 'public',
    summary: 'Sign in: sets the session cookie and returns the CSRF token to echo on mutations.',
    body: loginRequest, ok: { 200: json('The signed-in account, with `csrfToken`.', me) },
    errors: ['INVALID_CREDENTIALS', 'TOO_MANY_REQUESTS'],
  }),
  endpoint({
    method: 'post', path: '/auth/logout', operationId: 'logout', tag: 'auth', access: 'public',
    summary: 'Sign out: ends the session and clears its cookie.', ok: { 204: noContent },
  }),
  endpoint({
    method: 'get', path: '/auth/me', operationId: 'getMe', tag: 'auth', access: 'account',
    summary: 'The signed-in account.', ok: { 200: json('The account, with `csrfToken` for a session.', me) }, errors: ['FORBIDDEN'],
  }),
  endpoint({
    method: 'get', path: '/accounts', operationId: 'listAccounts', tag: 'auth', access: 'admin',
    summary: 'Every console account.', ok: { 200: json('The accounts.', accountList) },
  }),
  endpoint({
    method: 'post', path: '/accounts', operationId: 'createAccount', tag: 'auth', access: 'admin',
    summary: 'Create a console account.', body: createAccountRequest, ok: { 201: json('The account.', account) }, errors: ['ALREADY_EXISTS'],
  }),

  // Repositories and repository users
  endpoint({
    method: 'get', path: '/repositories', operationId: 'listRepositories', tag: 'repositories', access: 'account',
    summary: 'Repositories, by name.', query: listRepositoriesQuery, ok: { 200: json('A page of repositories.', repositoryPage) },
  }),
  endpoint({
    method: 'post', path: '/repositories', operationId: 'createRepository', tag: 'repositories', access: 'admin',
    summary: 'Create a repository.', body: createRepositoryRequest, ok: { 201: json('The repository.', repository) }, errors: ['ALREADY_EXISTS'],
  }),
  endpoint({
    method: 'get', path: '/repositories/{repository}', operationId: 'getRepository', tag: 'repositories', access: 'account',
    summary: 'One repository.', ok: { 200: json('The repository.', repository) }, errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'patch', path: '/repositories/{repository}', operationId: 'updateRepository', tag: 'repositories', access: 'admin',
    summary: 'Change a repository’s description.', body: updateRepositoryRequest, ok: { 200: json('The repository.', repository) },
    errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'delete', path: '/repositories/{repository}', operationId: 'deleteRepository', tag: 'repositories', access: 'admin',
    summary: 'Delete an empty repository and its users.', ok: { 204: noContent }, errors: ['REPOSITORY_NOT_FOUND', 'REPOSITORY_NOT_EMPTY'],
  }),
  endpoint({
    method: 'get', path: '/repositories/{repository}/users', operationId: 'listRepositoryUsers', tag: 'repositories', access: 'account',
    summary: 'The repository’s users (robot credentials).', ok: { 200: json('The users; never a secret.', repositoryUserList) },
    errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'post', path: '/repositories/{repository}/users', operationId: 'createRepositoryUser', tag: 'repositories', access: 'admin',
    summary: 'Create a repository user; its secret key is returned this once.', body: createRepositoryUserRequest,
    ok: { 201: json('The user, with its secret key.', repositoryUserWithSecret) }, errors: ['REPOSITORY_NOT_FOUND', 'ALREADY_EXISTS'],
  }),
  endpoint({
    method: 'patch', path: '/repositories/{repository}/users/{user}', operationId: 'updateRepositoryUser', tag: 'repositories', access: 'admin',
    summary: 'Disable, enable, re-expire or re-permission a repository user.', body: updateRepositoryUserRequest,
    ok: { 200: json('The user.', repositoryUser) }, errors: ['REPOSITORY_NOT_FOUND', 'REPOSITORY_USER_NOT_FOUND'],
  }),
  endpoint({
    method: 'post', path: '/repositories/{repository}/users/{user}/rotate', operationId: 'rotateRepositoryUser', tag: 'repositories', access: 'admin',
    summary: 'Give a repository user a new secret key (the old one stops working).',
    ok: { 200: json('The user, with its new secret key.', repositoryUserWithSecret) }, errors: ['REPOSITORY_NOT_FOUND', 'REPOSITORY_USER_NOT_FOUND'],
  }),
  endpoint({
    method: 'delete', path: '/repositories/{repository}/users/{user}', operationId: 'deleteRepositoryUser', tag: 'repositories', access: 'admin',
    summary: 'Delete a repository user.', ok: { 204: noContent }, errors: ['REPOSITORY_NOT_FOUND', 'REPOSITORY_USER_NOT_FOUND'],
  }),

  // Images, artifacts and tags
  endpoint({
    method: 'get', path: '/repositories/{repository}/images', operationId: 'listImages', tag: 'images', access: 'account',
    summary: 'The repository’s images.', query: listImagesQuery, ok: { 200: json('A page of images.', imagePage) }, errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: IMAGE, operationId: 'getImage', tag: 'images', access: 'account',
    summary: 'One image.', ok: { 200: json('The image.', image) }, errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'patch', path: IMAGE, operationId: 'updateImage', tag: 'images', access: 'admin',
    summary: 'Change an image’s description or lock.', body: updateImageRequest, ok: { 200: json('The image.', image) },
    errors: ['IMAGE_NOT_FOUND', 'BUSY'],
  }),
  endpoint({
    method: 'get', path: `${IMAGE}/artifacts`, operationId: 'listArtifacts', tag: 'images', access: 'account',
    summary: 'The image’s artifacts (manifest digests).', query: listArtifactsQuery, ok: { 200: json('A page of artifacts.', artifactPage) },
    errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${IMAGE}/tags`, operationId: 'listTags', tag: 'images', access: 'account',
    summary: 'The image’s tags.', query: listTagsQuery, ok: { 200: json('A page of tags.', tagPage) }, errors: ['IMAGE_NOT_FOUND'],
  }),

  // Locks, deletes and deletion policies
  endpoint({
    method: 'patch', path: `${IMAGE}/tags/{tag}`, operationId: 'updateTag', tag: 'lifecycle', access: 'admin',
    summary: 'Lock or unlock a tag.', body: updateTagRequest, ok: { 200: json('The tag.', tag) }, errors: ['IMAGE_NOT_FOUND', 'TAG_NOT_FOUND', 'BUSY'],
  }),
  endpoint({
    method: 'delete', path: IMAGE, operationId: 'deleteImage', tag: 'lifecycle', access: 'admin',
    summary: 'Delete an image: every artifact and tag, then the image.', ok: { 200: json('What became of each artifact.', deleteArtifactsResponse) },
    errors: ['IMAGE_NOT_FOUND', 'LOCKED', 'REFERENCED', 'BUSY', 'UPSTREAM_REFUSED', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'delete', path: `${IMAGE}/tags/{tag}`, operationId: 'deleteTag', tag: 'lifecycle', access: 'admin',
    summary: 'Delete one tag; its digest and other tags stay.', ok: { 200: json('The tag, deleted.', tagDeleteResult) },
    errors: ['IMAGE_NOT_FOUND', 'TAG_NOT_FOUND', 'LOCKED', 'REFERENCED', 'BUSY', 'UPSTREAM_REFUSED', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'post', path: `${IMAGE}/tags:delete`, operationId: 'deleteTags', tag: 'lifecycle', access: 'admin',
    summary: 'Delete up to 50 tags, each on its own.', body: deleteTagsRequest, ok: { 200: json('What became of each tag.', deleteTagsResponse) },
    errors: ['IMAGE_NOT_FOUND', 'LOCKED', 'BUSY', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'delete', path: `${ARTIFACT}`, operationId: 'deleteArtifact', tag: 'lifecycle', access: 'admin',
    summary: 'Delete an artifact with every tag on it (an index with its untagged children).',
    ok: { 200: json('What became of the artifact (and its children).', deleteArtifactsResponse) },
    errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'LOCKED', 'REFERENCED', 'BUSY', 'UPSTREAM_REFUSED', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'get', path: `${IMAGE}/deletion-policy`, operationId: 'getImageDeletionPolicy', tag: 'lifecycle', access: 'account',
    summary: 'The image’s deletion policy as it applies.', ok: { 200: json('The policy and where it comes from.', imageDeletionPolicy) },
    errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'put', path: `${IMAGE}/deletion-policy`, operationId: 'putImageDeletionPolicy', tag: 'lifecycle', access: 'admin',
    summary: 'Set the image’s own deletion policy, or `{inherit: true}` to drop it.', body: putImageDeletionPolicy,
    ok: { 200: json('The policy as it now applies.', imageDeletionPolicy) }, errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'post', path: `${IMAGE}/deletion-policy/test`, operationId: 'testImageDeletionPolicy', tag: 'lifecycle', access: 'account',
    summary: 'Dry run: what a run of the policy would delete and keep now, and why.', ok: { 200: json('The verdicts.', policyTestResponse) },
    errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'post', path: `${IMAGE}/deletion-policy/run`, operationId: 'runImageDeletionPolicy', tag: 'lifecycle', access: 'admin',
    summary: 'Run the policy now; with `expect`, only if it would delete exactly what that test listed.', body: policyRunRequest,
    bodyOptional: true, ok: { 200: json('What the run deleted.', policyRunResponse) },
    errors: ['IMAGE_NOT_FOUND', 'POLICY_DISABLED', 'POLICY_CHANGED', 'BUSY', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'get', path: '/repositories/{repository}/deletion-policy', operationId: 'getRepositoryDeletionPolicy', tag: 'lifecycle',
    access: 'account', summary: 'The repository’s default deletion policy.', ok: { 200: json('The default.', repositoryDeletionPolicy) },
    errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'put', path: '/repositories/{repository}/deletion-policy', operationId: 'putRepositoryDeletionPolicy', tag: 'lifecycle',
    access: 'admin', summary: 'Set the repository’s default deletion policy.', body: deletionPolicy,
    ok: { 200: json('The default.', repositoryDeletionPolicy) }, errors: ['REPOSITORY_NOT_FOUND'],
  }),

  // Scanning and pull restriction
  endpoint({
    method: 'get', path: '/vulnerability-database', operationId: 'getVulnerabilityDatabase', tag: 'scans', access: 'account',
    summary: 'The advisory database scans are matched against.', ok: { 200: json('The database.', vulnerabilityDatabase) },
  }),
  endpoint({
    method: 'get', path: `${IMAGE}/scan-settings`, operationId: 'getImageScanSettings', tag: 'scans', access: 'account',
    summary: 'The image’s scan settings as they apply.', ok: { 200: json('The settings and where they come from.', imageScanSettings) },
    errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'put', path: `${IMAGE}/scan-settings`, operationId: 'putImageScanSettings', tag: 'scans', access: 'admin',
    summary: 'Set the image’s own scan settings, or `{inherit: true}`.', body: putImageScanSettings,
    ok: { 200: json('The settings as they now apply.', imageScanSettings) }, errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: '/repositories/{repository}/scan-settings', operationId: 'getRepositoryScanSettings', tag: 'scans', access: 'account',
    summary: 'The repository’s default scan settings.', ok: { 200: json('The default.', repositoryScanSettings) }, errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'put', path: '/repositories/{repository}/scan-settings', operationId: 'putRepositoryScanSettings', tag: 'scans', access: 'admin',
    summary: 'Set the repository’s default scan settings.', body: scanSettings, ok: { 200: json('The default.', repositoryScanSettings) },
    errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${IMAGE}/pull-restriction`, operationId: 'getImagePullRestriction', tag: 'scans', access: 'account',
    summary: 'The image’s pull restriction as it applies.', ok: { 200: json('The restriction and where it comes from.', imagePullRestriction) },
    errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'put', path: `${IMAGE}/pull-restriction`, operationId: 'putImagePullRestriction', tag: 'scans', access: 'admin',
    summary: 'Set the image’s own pull restriction, or `{inherit: true}`.', body: putImagePullRestriction,
    ok: { 200: json('The restriction as it now applies.', imagePullRestriction) }, errors: ['IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: '/repositories/{repository}/pull-restriction', operationId: 'getRepositoryPullRestriction', tag: 'scans',
    access: 'account', summary: 'The repository’s default pull restriction.', ok: { 200: json('The default.', repositoryPullRestriction) },
    errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'put', path: '/repositories/{repository}/pull-restriction', operationId: 'putRepositoryPullRestriction', tag: 'scans',
    access: 'admin', summary: 'Set the repository’s default pull restriction.', body: pullRestriction,
    ok: { 200: json('The default.', repositoryPullRestriction) }, errors: ['REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'post', path: `${IMAGE}/scan`, operationId: 'scanImage', tag: 'scans', access: 'admin',
    summary: 'Queue a scan of every top-level artifact of the image.', ok: { 202: json('What was queued.', scanRequested) },
    errors: ['IMAGE_NOT_FOUND', 'VULN_DB_UNAVAILABLE'],
  }),
  endpoint({
    method: 'post', path: `${ARTIFACT}/scan`, operationId: 'scanArtifact', tag: 'scans', access: 'admin',
    summary: 'Queue a scan of one artifact (an index: each platform image).', ok: { 202: json('What was queued.', scanRequested) },
    errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'VULN_DB_UNAVAILABLE'],
  }),
  endpoint({
    method: 'get', path: `${ARTIFACT}/scan`, operationId: 'getArtifactScan', tag: 'scans', access: 'account',
    summary: 'Where the artifact’s scan stands, and its counts.', ok: { 200: json('The scan.', artifactScan) },
    errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${ARTIFACT}/vulnerabilities`, operationId: 'listVulnerabilities', tag: 'scans', access: 'account',
    summary: 'The vulnerabilities the last scan found, after the image’s exclusions.', query: listVulnerabilitiesQuery,
    ok: { 200: json('A page of vulnerabilities.', vulnerabilityPage) }, errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'SCAN_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${ARTIFACT}/secrets`, operationId: 'listSecrets', tag: 'scans', access: 'account',
    summary: 'The secrets the last scan found, masked.', ok: { 200: json('The secrets.', secretList) },
    errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'SCAN_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${ARTIFACT}/scan-report`, operationId: 'getScanReport', tag: 'scans', access: 'account',
    summary: 'The whole stored report, before exclusions, as a download.', ok: { 200: json('The report.', scanReport) },
    errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'SCAN_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${ARTIFACT}/sbom`, operationId: 'getSbom', tag: 'scans', access: 'account',
    summary: 'A CycloneDX SBOM of the scanned inventory, as a download.',
    ok: { 200: { description: 'The SBOM.', schema: cycloneDxDocument, contentTypes: ['application/vnd.cyclonedx+json'] } },
    errors: ['IMAGE_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'SCAN_NOT_FOUND'],
  }),

  // Manifests and image configs of the managed registry
  endpoint({
    method: 'get', path: `${IMAGE}/manifests/{reference}`, operationId: 'getManifest', tag: 'manifests', access: 'account',
    summary: 'The manifest, byte for byte as the registry serves it (not a pull).',
    ok: { 200: { description: 'The manifest; `Content-Type` is its media type.', schema: manifestDocument, contentTypes: MANIFEST_MEDIA_TYPES } },
    errors: ['BAD_REQUEST', 'IMAGE_NOT_FOUND', 'MANIFEST_NOT_FOUND', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'get', path: `${IMAGE}/manifests/{reference}/config`, operationId: 'getImageConfig', tag: 'manifests', access: 'account',
    summary: 'What an image manifest’s config says (not a pull).', ok: { 200: json('The config summary.', imageConfigSummary) },
    errors: ['BAD_REQUEST', 'IMAGE_NOT_FOUND', 'MANIFEST_NOT_FOUND', 'CONFIG_NOT_FOUND', 'UPSTREAM_UNAVAILABLE'],
  }),

  // Registries
  endpoint({
    method: 'get', path: '/registries', operationId: 'listRegistries', tag: 'registries', access: 'account',
    summary: 'The managed registry first, then the external ones by name.', query: listRegistriesQuery,
    ok: { 200: json('A page of registries.', registryPage) },
  }),
  endpoint({
    method: 'post', path: '/registries', operationId: 'createRegistry', tag: 'registries', access: 'admin',
    summary: 'Add an external registry once its connection test passes.', body: createRegistryRequest,
    ok: { 201: json('The registry.', registry) }, errors: ['ALREADY_EXISTS', 'CONNECTION_FAILED'],
  }),
  endpoint({
    method: 'post', path: '/registries/test', operationId: 'testRegistryConnection', tag: 'registries', access: 'admin',
    summary: 'Test a connection to a registry without saving anything.', body: registryConnectionRequest, bodyOptional: true,
    ok: { 200: json('What the test found, passed or not.', connectionTest) },
  }),
  endpoint({
    method: 'get', path: '/registries/{registry}', operationId: 'getRegistry', tag: 'registries', access: 'account',
    summary: 'One registry, with its last sync and garbage collection.', ok: { 200: json('The registry.', registryDetail) },
    errors: ['REGISTRY_NOT_FOUND'],
  }),
  endpoint({
    method: 'patch', path: '/registries/{registry}', operationId: 'updateRegistry', tag: 'registries', access: 'admin',
    summary: 'Change an external registry’s account, mode or repository (tested first).', body: updateRegistryRequest,
    ok: { 200: json('The registry.', registry) }, errors: ['REGISTRY_NOT_FOUND', 'REGISTRY_UNSUPPORTED', 'CONNECTION_FAILED'],
  }),
  endpoint({
    method: 'delete', path: '/registries/{registry}', operationId: 'deleteRegistry', tag: 'registries', access: 'admin',
    summary: 'Remove an external registry, optionally deleting its repository’s content upstream first.', query: deleteRegistryQuery,
    ok: { 200: json('What was deleted.', deleteRegistryResult) },
    errors: ['REGISTRY_NOT_FOUND', 'REGISTRY_UNSUPPORTED', 'REGISTRY_PULL_ONLY', 'CATALOG_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'post', path: '/registries/{registry}/test', operationId: 'retestRegistry', tag: 'registries', access: 'admin',
    summary: 'Test the saved connection (kept as `lastTest`), or the saved URL with another account (not kept).',
    body: retestRegistryRequest, bodyOptional: true, ok: { 200: json('What the test found.', connectionTest) },
    errors: ['REGISTRY_NOT_FOUND', 'REGISTRY_UNSUPPORTED'],
  }),
  endpoint({
    method: 'post', path: '/registries/{registry}/sync', operationId: 'syncRegistry', tag: 'registries', access: 'admin',
    summary: 'Reconcile Berth’s index with the managed registry.', ok: { 200: json('What changed.', syncResult) },
    errors: ['REGISTRY_NOT_FOUND', 'REGISTRY_UNSUPPORTED', 'UPSTREAM_UNAVAILABLE'],
  }),
  endpoint({
    method: 'post', path: '/registries/{registry}/gc', operationId: 'collectRegistryGarbage', tag: 'registries', access: 'admin',
    summary: 'Collect the embedded registry’s garbage (a dry run unless asked).', body: gcRequest, bodyOptional: true,
    ok: { 200: json('What was (or would be) freed.', gcReport) }, errors: ['REGISTRY_NOT_FOUND', 'REGISTRY_UNSUPPORTED', 'BUSY'],
  }),
  endpoint({
    method: 'get', path: '/registries/{registry}/repositories', operationId: 'listExternalRepositories', tag: 'registries', access: 'account',
    summary: 'The repositories of an external registry.', query: browseQuery, ok: { 200: json('A page of repositories.', externalRepositoryPage) },
    errors: [...EXTERNAL, 'CATALOG_UNAVAILABLE'],
  }),
  endpoint({
    method: 'get', path: '/registries/{registry}/repositories/{repository}/images', operationId: 'listExternalImages', tag: 'registries',
    access: 'account', summary: 'The images of a repository of an external registry.', query: browseQuery,
    ok: { 200: json('A page of images.', externalImagePage) }, errors: [...EXTERNAL, 'CATALOG_UNAVAILABLE', 'REPOSITORY_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${EXTERNAL_IMAGE}/tags`, operationId: 'listExternalTags', tag: 'registries', access: 'account',
    summary: 'The tags of an external image, with what their manifests say.', query: browseTagsQuery,
    ok: { 200: json('A page of tags.', externalTagPage) }, errors: [...EXTERNAL, 'REPOSITORY_NOT_FOUND', 'IMAGE_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${EXTERNAL_IMAGE}/manifests/{reference}`, operationId: 'getExternalManifest', tag: 'registries', access: 'account',
    summary: 'A manifest of an external image, as that registry serves it.',
    ok: { 200: { description: 'The manifest; `Content-Type` is its media type.', schema: manifestDocument, contentTypes: MANIFEST_MEDIA_TYPES } },
    errors: [...EXTERNAL, 'BAD_REQUEST', 'REPOSITORY_NOT_FOUND', 'IMAGE_NOT_FOUND', 'MANIFEST_NOT_FOUND'],
  }),
  endpoint({
    method: 'get', path: `${EXTERNAL_IMAGE}/manifests/{reference}/config`, operationId: 'getExternalImageConfig', tag: 'registries',
    access: 'account', summary: 'What an external image manifest’s config says.', ok: { 200: json('The config summary.', imageConfigSummary) },
    errors: [...EXTERNAL, 'BAD_REQUEST', 'REPOSITORY_NOT_FOUND', 'IMAGE_NOT_FOUND', 'MANIFEST_NOT_FOUND', 'CONFIG_NOT_FOUND'],
  }),

  // This document
  endpoint({
    method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'meta', access: 'account',
    summary: 'This OpenAPI 3.1 document, generated from the contract.', ok: { 200: json('The document.', openApiDocumentShape) },
  }),
];
