import type { ConnectionFailure } from '@berth/api';

/** The text key of each reason a connection test fails for. */
const REASON_KEYS = {
  invalid_url: 'registries.reasons.invalid_url',
  blocked_address: 'registries.reasons.blocked_address',
  dns: 'registries.reasons.dns',
  refused: 'registries.reasons.refused',
  timeout: 'registries.reasons.timeout',
  tls: 'registries.reasons.tls',
  tls_required: 'registries.reasons.tls_required',
  redirect: 'registries.reasons.redirect',
  not_registry: 'registries.reasons.not_registry',
  unauthorized: 'registries.reasons.unauthorized',
  token_failed: 'registries.reasons.token_failed',
  repository_not_found: 'registries.reasons.repository_not_found',
  upstream_error: 'registries.reasons.upstream_error',
} as const satisfies Record<ConnectionFailure, string>;

/** The line that says, in the reader's language, why a test failed; an unknown or missing reason reads as an unexpected error. */
export function reasonKey(reason: string | undefined): (typeof REASON_KEYS)[ConnectionFailure] {
  return reason && Object.hasOwn(REASON_KEYS, reason) ? REASON_KEYS[reason as ConnectionFailure] : REASON_KEYS.upstream_error;
}
