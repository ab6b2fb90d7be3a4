import { apiUrl, seg } from '@/lib/api-client';

/**
 * GET …/artifacts/{digest}/scan-report (the full results, JSON) and …/sbom (CycloneDX JSON):
 * downloads the browser fetches itself (the server names the file), so they are links, not queries.
 */
export function scanExportUrls(repository: string, image: string, digest: string): { report: string; sbom: string } {
  const base = `/repositories/${seg(repository)}/images/${seg(image)}/artifacts/${seg(digest)}`;
  return { report: apiUrl(`${base}/scan-report`), sbom: apiUrl(`${base}/sbom`) };
}
