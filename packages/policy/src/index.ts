// @berth/policy: pure rules (no I/O, no clock) for deletion policies, references between artifacts, and locks.
export {
  evaluateDeletionPolicy,
  validateDeletionPolicy,
  effectivePolicy,
  disabledPolicy,
  isDeleteReason,
  POLICY_RULES,
  POLICY_LIMITS,
  type DeletionPolicy,
  type PolicyInput,
  type PolicyResult,
  type PolicyVerdict,
  type ReasonCode,
  type DeleteReason,
  type KeepReason,
  type PolicyFieldError,
  type PolicySource,
} from './deletion-policy.ts';
export { deleteBlockers, followers, type PolicyArtifact, type DeleteBlocker, type Follower } from './references.ts';
export { lockVerdict, type ManifestChange, type LockState, type LockRefusal } from './locks.ts';
export { globMatch, compileTagPatterns } from './glob.ts';
export { pullVerdict, effectiveRestriction, type PullRestrictionRule, type PulledScan, type PullRefusal } from './pull-restriction.ts';
export { applyExclusions, countFindings, type Exclusions, type CountableVulnerability, type FindingCounts } from './exclusions.ts';
