import { z } from 'zod';

// The scan facts every artifact and tag row shows (lists import these; scans.ts has the rest).

/** Severity levels, lowest first: exclusions ("at or below") and limits read them in this order. */
export const severity = z.enum(['none', 'unknown', 'negligible', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof severity>;

/** Vulnerability counts by severity (after the image's exclusions). */
export const severityCounts = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  negligible: z.number().int(),
  unknown: z.number().int(),
});
export type SeverityCounts = z.infer<typeof severityCounts>;

/**
 * `none`: never scanned; `queued` and `scanning`: a scan job is waiting or running;
 * `done`; `failed` (the job gave up: `error` says why); `unsupported` (not a container
 * image the scanner can read: `error` says what it is).
 */
export const scanStatus = z.enum(['none', 'queued', 'scanning', 'done', 'failed', 'unsupported']);
export type ScanStatus = z.infer<typeof scanStatus>;

/** The short form shown in artifact and tag lists. */
export const scanOverview = z.object({
  status: scanStatus,
  scannedAt: z.string().nullable(),
  summary: severityCounts,
  /** What a docker or podman pull of it is told now, when the image's pull restriction refuses it; null when it may be pulled. */
  pullRefusal: z.string().nullable(),
});
export type ScanOverview = z.infer<typeof scanOverview>;

