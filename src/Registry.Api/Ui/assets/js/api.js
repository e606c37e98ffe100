// The public API of this service, the same routes the SDK reads (docs/API.md). Same origin only (CSP connect-src 'self').
import { h } from './dom.js';

/** An error answer (RFC 9457 problem details) or an unreachable service. */
export class ApiError extends Error {
  constructor(status, problem, corrId, path) {
    super(`${problem.code}: ${problem.detail ?? problem.title ?? ''}`);
    this.status = status;
    this.code = problem.code ?? `HTTP${status}`;
    this.detail = problem.detail ?? problem.title ?? '';
    this.corrId = problem.corr_id ?? corrId ?? null;
    this.path = path;
  }
}

/** GET a JSON document; throws ApiError with the problem's code and corr_id. */
export async function getJson(path, { signal } = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal, cache: 'no-cache' });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'Unreachable', detail: `The service did not answer (${error?.message ?? error}).` }, null, path);
  }
  const corrId = response.headers.get('X-Corr-ID');
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
    throw new ApiError(response.status, problem && typeof problem === 'object' ? problem : { code: `HTTP${response.status}`, detail: response.statusText }, corrId, path);
  }
  return response.json();
}

export const api = {
  head: (o) => getJson('/registry/head', o),
  snapshot: (v, o) => getJson(`/registry/${v}`, o),
  descriptor: (v, id, o) => getJson(`/registry/${v}/descriptors/${id}`, o),
  query: (v, q, o) => getJson(`/registry/${v}/descriptors?${new URLSearchParams(Object.entries(q).filter(([, x]) => x !== '' && x !== null && x !== undefined))}`, o),
  log: (from, limit, o) => getJson(`/registry/log?from=${from}&limit=${limit}`, o),
  proposals: (status, o) => getJson(status ? `/registry/proposals?status=${encodeURIComponent(status)}` : '/registry/proposals', o),
  proposal: (id, o) => getJson(`/registry/proposals/${id}`, o),
};

/** The descriptor with this exact id at version v, or null (via the filtered query, which answers 200 either way). */
export async function descriptorOrNull(version, id, o) {
  const page = await api.query(version, { prefix: id, limit: 1 }, o);
  const first = page.descriptors[0];
  return first && first.id === id ? first : null;
}

/** Commit records [from, to] in version order, paged by 1000. */
export async function logRange(from, to, o) {
  const records = [];
  for (let next = from; next <= to;) {
    const page = await api.log(next, Math.min(1000, to - next + 1), o);
    if (page.length === 0) break;
    records.push(...page);
    next += page.length;
  }
  return records;
}

/** An error as a message on the page: its code, detail, HTTP status and corr_id. */
export function errorBox(error, what) {
  if (error instanceof ApiError) {
    return h('div.error', { role: 'alert', 'data-code': error.code },
      h('strong', what ? `${what}: ` : ''), h('span.code', error.code), ' — ', error.detail,
      h('div.meta', error.status ? `HTTP ${error.status} · ` : '', 'corr_id: ', h('code.corr', error.corrId ?? 'none'), error.path ? ` · GET ${error.path}` : ''));
  }
  return h('div.error', { role: 'alert', 'data-code': 'ClientError' }, h('strong', what ? `${what}: ` : ''), String(error?.message ?? error));
}
