import type { TFunction } from 'i18next';
import type { DeletionPolicy, PolicyVerdict } from '@berth/api';
import { shortDigest } from '@/lib/format';

/** The first whole number in a detail ("30", "30 days"), if any. */
function leadingNumber(detail: string | undefined): number | undefined {
  const match = detail ? /\d+/.exec(detail) : null;
  return match ? Number(match[0]) : undefined;
}

/**
 * Why a policy test or run deletes or keeps something, in the UI language: each reason code
 * in words, with what its `detail` names (days, a digest, a tag, a pattern, a rank). Where a
 * reason comes without its number, the policy's own setting gives it.
 */
export function reasonText(t: TFunction, verdict: Pick<PolicyVerdict, 'reason' | 'detail' | 'tag'>, policy?: Partial<DeletionPolicy>): string {
  const { reason, detail } = verdict;
  switch (reason) {
    case 'untagged':
    case 'image-locked':
    case 'no-rule-matched':
      return t(`policyTest.reason.${reason}`);
    case 'older-than': {
      const days = leadingNumber(detail) ?? policy?.olderThanDays ?? undefined;
      return t('policyTest.reason.older-than', { days: days ?? '?' });
    }
    case 'pulled-recently': {
      const days = leadingNumber(detail) ?? policy?.keepPulledWithinDays ?? undefined;
      return days === undefined ? t('policyTest.reason.pulled-recently-any') : t('policyTest.reason.pulled-recently', { days });
    }
    case 'newest': {
      const match = detail ? /(\d+)\D+(\d+)/.exec(detail) : null;
      return match ? t('policyTest.reason.newest', { rank: match[1], of: match[2] }) : t('policyTest.reason.newest-any');
    }
    case 'child-of-deleted':
    case 'subject-deleted':
    case 'referenced-by':
    case 'referrer-of-kept':
      return t(`policyTest.reason.${reason}`, { digest: detail ? shortDigest(detail) : '?' });
    case 'tag-locked':
    case 'shares-digest':
      return t(`policyTest.reason.${reason}`, { tag: detail ?? verdict.tag ?? '?' });
    case 'keep-pattern':
      return t('policyTest.reason.keep-pattern', { pattern: detail ?? '?' });
    default:
      // A reason newer than this console: its code is better than nothing.
      return String(reason);
  }
}
