import { z } from 'zod';

/**
 * Name rules shared by the API and the /v2 front door.
 * A repository is one path component; an image is one or more components joined by `/`.
 * Components follow the OCI distribution grammar: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
 */
export const NAME_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
export const MAX_REPOSITORY_NAME = 64;
export const MAX_IMAGE_NAME = 255;

export function isRepositoryName(value: string): boolean {
  return value.length >= 2 && value.length <= MAX_REPOSITORY_NAME && NAME_COMPONENT.test(value);
}

export function isImageName(value: string): boolean {
  if (value.length === 0 || value.length > MAX_IMAGE_NAME) return false;
  return value.split('/').every((c) => NAME_COMPONENT.test(c));
}

export const repositoryName = z
  .string()
  .refine(isRepositoryName, {
    message: 'must be 2-64 characters of lowercase letters and digits, separated by ".", "_", "__" or "-"',
  });

export const imageName = z.string().refine(isImageName, {
  message: 'must be path components of lowercase letters and digits separated by "/"',
});

export const repositoryUserName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be 1-63 lowercase letters, digits, ".", "_" or "-"');

export const tagName = z.string().regex(TAG_PATTERN, 'is not a valid tag');
export const digest = z.string().regex(DIGEST_PATTERN, 'is not a valid digest');
