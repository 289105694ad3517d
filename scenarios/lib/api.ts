/**
 * The target's routes as k6 requests. Each request carries a `name` tag (one per route, so ids do not
 * multiply URLs in the metrics); k6 adds the `scenario` tag itself.
 */
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { ImportEntry } from './contract.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** Route names used as the `name` tag. */
export const ROUTE = {
  import: 'POST /api/marketplace/sources/:sourceId/import',
  getImport: 'GET /api/imports/:importId',
  catalogUpdate: 'PATCH /api/marketplace/catalog/:entryId',
  artifacts: 'GET /api/artifacts',
} as const;

export type Response = RefinedResponse<ResponseType | undefined>;

/** A client for one target. `timeout` values are k6 durations. */
export function targetApi(baseUrl: string) {
  return {
    importEntries(sourceId: string, entries: readonly ImportEntry[], timeout: string): Response {
      const url = `${baseUrl}/api/marketplace/sources/${encodeURIComponent(sourceId)}/import`;
      return http.post(url, JSON.stringify({ entries }), { headers: JSON_HEADERS, timeout, tags: { name: ROUTE.import } });
    },
    getImport(importId: string, timeout: string): Response {
      return http.get(`${baseUrl}/api/imports/${encodeURIComponent(importId)}`, { timeout, tags: { name: ROUTE.getImport } });
    },
    updateCatalogEntry(entryId: number, body: { status?: string; title?: string }, timeout: string): Response {
      return http.patch(`${baseUrl}/api/marketplace/catalog/${entryId}`, JSON.stringify(body), { headers: JSON_HEADERS, timeout, tags: { name: ROUTE.catalogUpdate } });
    },
    listArtifacts(sourceId: string, limit: number, timeout: string): Response {
      const url = `${baseUrl}/api/artifacts?sourceId=${encodeURIComponent(sourceId)}&limit=${limit}`;
      return http.get(url, { timeout, tags: { name: ROUTE.artifacts } });
    },
  };
}

/** The body as text, or null when there was no answer (k6 status 0). */
export function bodyText(res: Response): string | null {
  if (res.status === 0) return null;
  return typeof res.body === 'string' ? res.body : null;
}
