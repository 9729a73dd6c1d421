/**
 * The SDK over HTTP: the same calls as `clientFor(db, principal)` (sdk.ts), answered by a StormOps server's /v1 API
 * with a bearer token. The CLI uses it when a server holds the data folder or `--url`/`STORMOPS_URL` names one;
 * scripts can too: `remoteClient('https://stormops.example', token).storms.get(id)`. A call with no HTTP route answers
 * LOCAL_ONLY naming the call (it needs the database itself).
 */
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.ts';
import type { StormOpsClient } from '../sdk.ts';

type Query = Record<string, string | number | boolean | undefined>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpTransport {
  readonly url: string;
  request<T>(
    method: Method,
    path: string,
    opts?: { query?: Query; body?: unknown; text?: boolean; binary?: boolean; csv?: string },
  ): Promise<T>;
}

/**
 * One request with node:http(s) (lighter to load than fetch, which costs a CLI call about 0.1 s before its first
 * byte).
 */
async function send(
  url: URL,
  method: Method,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<{ status: number; body: Buffer }> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function httpTransport(baseUrl: string, token: string): HttpTransport {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    url: root,
    async request<T>(
      method: Method,
      path: string,
      opts: { query?: Query; body?: unknown; text?: boolean; binary?: boolean; csv?: string } = {},
    ) {
      const url = new URL(`${root}/v1${path}`);
      for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      let payload: string | undefined;
      if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(opts.body);
      } else if (opts.csv !== undefined) {
        headers['content-type'] = 'text/csv';
        payload = opts.csv;
      }
      let res: { status: number; body: Buffer };
      try {
        res = await send(url, method, headers, payload);
      } catch (err) {
        const cause = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new AppError('SERVER_UNAVAILABLE', `StormOps server at ${root} did not answer (${cause})`, { url: root });
      }
      const ok = res.status >= 200 && res.status < 300;
      if (ok && opts.binary) return res.body as T;
      const text = res.body.toString('utf8');
      if (!ok) {
        let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          // not JSON: a proxy's page; reported by status below
        }
        const code = (body.error?.code ?? '') in ERROR_CODES ? (body.error!.code as ErrorCode) : 'INTERNAL';
        throw new AppError(code, body.error?.message ?? `HTTP ${res.status} from ${url.pathname}`, body.error?.details);
      }
      return (opts.text ? text : text ? JSON.parse(text) : undefined) as T;
    },
  };
}

function localOnly(t: HttpTransport, call: string): AppError {
  return new AppError(
    'LOCAL_ONLY',
    `${call} has no HTTP route: run it where the database is (stop the server at ${t.url} first)`,
    { call, url: t.url },
  );
}

/** The SDK calls that have an HTTP route; the client type checks each against the in-process SDK's signature. */
function remoteCalls(t: HttpTransport) {
  const storm = (id: string) => `/storms/${encodeURIComponent(id)}`;
  const tenant = (id: string) => `/tenants/${encodeURIComponent(id)}`;
  return {
    tenants: {
      provision: (i) => t.request('POST', '/tenants', { body: i }),
      list: async (f = {}) => (await t.request<{ tenants: never }>('GET', '/tenants', { query: f })).tenants,
      get: (id) => t.request('GET', tenant(id)),
      setTier: (id, tier) => t.request('PATCH', tenant(id), { body: { tier } }),
      setFeatureFlags: (id, flags) => t.request('PATCH', tenant(id), { body: { feature_flags: flags } }),
      suspend: (id) => t.request('PATCH', tenant(id), { body: { status: 'suspended' } }),
      reactivate: (id) => t.request('PATCH', tenant(id), { body: { status: 'active' } }),
      update: (id, i) => t.request('PATCH', tenant(id), { body: i }),
      createCredential: ({ tenant_id, ...i }) => t.request('POST', `${tenant(tenant_id)}/credentials`, { body: i }),
      listCredentials: async ({ tenant_id }) =>
        (await t.request<{ credentials: never }>('GET', `${tenant(tenant_id)}/credentials`)).credentials,
      revokeCredential: ({ tenant_id, token_id }) =>
        t.request('DELETE', `${tenant(tenant_id)}/credentials/${encodeURIComponent(token_id)}`),
    },
    staff: {
      createCredential: (i) => t.request('POST', '/staff/credentials', { body: i }),
      listCredentials: async () => (await t.request<{ credentials: never }>('GET', '/staff/credentials')).credentials,
      revokeCredential: ({ token_id }) => t.request('DELETE', `/staff/credentials/${encodeURIComponent(token_id)}`),
    },
    audit: {
      list: async (i = {}) => (await t.request<{ events: never }>('GET', '/audit', { query: i as Query })).events,
    },
    storms: {
      create: (i) => t.request('POST', '/storms', { body: i }),
      list: async (i = {}) => (await t.request<{ storms: never }>('GET', '/storms', { query: i as Query })).storms,
      get: (id) => t.request('GET', storm(id)),
      setStatus: (id, i) => t.request('POST', `${storm(id)}/status`, { body: i }),
    },
    properties: {
      list: ({ storm_id, ...page }) => t.request('GET', `${storm(storm_id)}/properties`, { query: page as Query }),
      imports: async ({ storm_id }) =>
        (await t.request<{ imports: never }>('GET', `${storm(storm_id)}/imports`)).imports,
    },
    policy: {
      apply: ({ storm_id, ...i }) => t.request('POST', `${storm(storm_id)}/policy/apply`, { body: i }),
      get: ({ mode, ...q }) => t.request('GET', `/policies/${mode}`, { query: q as Query }),
      configure: ({ mode, ...b }) => t.request('PUT', `/policies/${mode}`, { body: b }),
      runs: async ({ storm_id }) => (await t.request<{ runs: never }>('GET', `${storm(storm_id)}/policy/runs`)).runs,
      contamination: ({ storm_id }) => t.request('GET', `${storm(storm_id)}/contamination`),
      planTerritories: ({ storm_id, ...b }) => t.request('POST', `${storm(storm_id)}/territories`, { body: b }),
      exportWalkList: ({ storm_id, ...q }) =>
        t.request('GET', `${storm(storm_id)}/walk-list`, { query: q as Query, text: q.format === 'csv' }),
      logKnock: (i) => t.request('POST', '/knocks', { body: i }),
    },
    outcomes: {
      log: (i) => t.request('POST', '/outcomes', { body: i }),
      logBatch: (i) => t.request('POST', '/outcomes/batch', { body: i }),
      history: ({ property_id, ...q }) =>
        t.request('GET', `/properties/${encodeURIComponent(property_id)}/outcomes`, { query: q }),
    },
    models: {
      list: async (f = {}) => (await t.request<{ models: never }>('GET', '/models', { query: f as Query })).models,
      get: (id) => t.request('GET', `/models/${encodeURIComponent(id)}`),
      active: (q = {}) => t.request('GET', '/models/active', { query: q as Query }),
      promote: ({ model_id, ...b }) => t.request('POST', `/models/${encodeURIComponent(model_id)}/stage`, { body: b }),
      rollback: (b = {}) => t.request('POST', '/models/rollback', { body: b }),
      score: ({ storm_id }) => t.request('POST', `${storm(storm_id)}/score`),
      // The route trains from a storm of the caller's tenant: a file, a registry name or params stay local.
      train: ({ storm_id, csv, tenant_id: _tenant, name, params, ...b }) => {
        if (csv || !storm_id || name || params) throw localOnly(t, 'models.train --csv (a file on this machine)');
        return t.request('POST', '/models/train', { body: { storm_id, ...b } });
      },
    },
    pilot: {
      runPilot: ({ storm_id, mode, alpha }) =>
        t.request('GET', `${storm(storm_id)}/pilot`, { query: { format: 'json', mode, alpha } }),
      report: async ({ storm_id, mode, alpha, format }) => {
        const query = { mode, alpha };
        const results = await t.request<never>('GET', `${storm(storm_id)}/pilot`, {
          query: { ...query, format: 'json' },
        });
        if (format === 'json') return { results, body: JSON.stringify(results, null, 2) };
        // Rendered by the server, which checks the tenant's feature flags (pdf_reports) as for any client.
        const body = await t.request<Buffer | string>('GET', `${storm(storm_id)}/pilot`, {
          query: { ...query, format },
          ...(format === 'pdf' ? { binary: true } : { text: true }),
        });
        return { results, body };
      },
      generateReport: async (results, format) =>
        (await import('../domains/pilot/pilot.service.ts')).renderPilotReport(results, format),
      recordFeedback: (id, i) => t.request('POST', `${storm(id)}/pilot/feedback`, { body: i }),
    },
    observability: {
      getHealthDashboard: (id) => t.request('GET', `${storm(id)}/health`),
      checkConversionRates: (id) => t.request('GET', `${storm(id)}/health/conversion-rates`),
      checkUpliftDistribution: (id) => t.request('GET', `${storm(id)}/health/uplift-distribution`),
      history: async (id, q = {}) =>
        (await t.request<{ checks: never }>('GET', `${storm(id)}/health/history`, { query: q })).checks,
      getUpliftBand: (tenantId) => t.request('GET', '/health/uplift-band', { query: { tenant_id: tenantId } }),
      setUpliftBand: (b, tenantId) =>
        t.request('PUT', '/health/uplift-band', { body: b, query: { tenant_id: tenantId } }),
    },
    stormReports: {
      import: ({ storm_id, text, ...query }) =>
        t.request('POST', `${storm(storm_id)}/reports`, { csv: text, query: query as Query }),
      recomputeExposure: ({ storm_id, ...body }) => t.request('POST', `${storm(storm_id)}/exposure`, { body }),
    },
    slo: {
      getSloDashboard: (i) => t.request('GET', '/slo/status', { query: i }),
      getActiveAlerts: async (i = {}) =>
        (await t.request<{ alerts: never }>('GET', '/slo/alerts', { query: i })).alerts,
      evaluate: () => t.request('POST', '/slo/evaluate'),
      definitions: async () => (await t.request<{ slos: never }>('GET', '/slo/definitions')).slos,
    },
    billing: billingCalls(t),
  } satisfies { [K in keyof StormOpsClient]?: Partial<StormOpsClient[K]> };
}

/** Billing over HTTP (docs/billing.md); inputs are already the API's snake_case. */
function billingCalls(t: HttpTransport) {
  const invoice = (id: string) => `/billing/invoices/${encodeURIComponent(id)}`;
  const health = async () => (await t.request<{ tenants: never[] }>('GET', '/billing/usage')).tenants;
  return {
    plans: async () => (await t.request<{ plans: never }>('GET', '/billing/plans')).plans,
    // Staff and the operator read any tenant's; a tenant admin its own (billing:own).
    getBillingDashboard: async (tenantId, period) => {
      if (!tenantId) return t.request('GET', '/billing/dashboard', { query: { period } });
      try {
        return await t.request('GET', `/billing/tenants/${encodeURIComponent(tenantId)}/dashboard`, {
          query: { period },
        });
      } catch (err) {
        if ((err as AppError).code !== 'FORBIDDEN') throw err;
        return t.request('GET', '/billing/dashboard', { query: { tenant_id: tenantId, period } });
      }
    },
    recordEvents: (i) => t.request('POST', '/billing/events', { body: i }),
    exportUsage: (i) => t.request('GET', '/billing/usage/export', { query: i as Query, text: i.format === 'csv' }),
    setOverride: (i) => t.request('PUT', '/billing/overrides', { body: i }),
    alerts: async (i = {}) => (await t.request<{ alerts: never }>('GET', '/billing/alerts', { query: i })).alerts,
    createInvoice: (i) => t.request('POST', '/billing/invoices', { body: i }),
    finalizeInvoice: ({ invoice_id }) => t.request('POST', `${invoice(invoice_id)}/finalize`),
    payInvoice: ({ invoice_id }) => t.request('POST', `${invoice(invoice_id)}/pay`),
    voidInvoice: ({ invoice_id }) => t.request('POST', `${invoice(invoice_id)}/void`),
    getInvoice: ({ invoice_id }) => t.request('GET', invoice(invoice_id)),
    listInvoices: async (i = {}) =>
      (await t.request<{ invoices: never }>('GET', '/billing/invoices', { query: i })).invoices,
    invoicePdf: async ({ invoice_id }) => ({
      invoice: await t.request<never>('GET', invoice(invoice_id)),
      pdf: await t.request<Buffer>('GET', invoice(invoice_id), { query: { format: 'pdf' }, binary: true }),
    }),
    closePeriod: (i) => t.request('POST', '/billing/close', { body: i }),
    customerHealth: health,
    triage: async () =>
      (await health())
        .filter((h: { flags: string[] }) => h.flags.length > 0)
        .sort((a: { health_score: number }, b: { health_score: number }) => a.health_score - b.health_score),
  } satisfies Partial<StormOpsClient['billing']>;
}

/**
 * A client of the server at `baseUrl` acting with `token` (a tenant user's, a staff member's or the operator's). Calls
 * without an HTTP route throw LOCAL_ONLY.
 */
export function remoteClient(baseUrl: string, token: string): StormOpsClient {
  const t = httpTransport(baseUrl, token);
  const calls = remoteCalls(t) as unknown as Record<string, Record<string, unknown>>;
  return new Proxy({} as StormOpsClient, {
    get(_target, group: string) {
      if (group === 'principal') return undefined;
      const known = calls[group] ?? {};
      return new Proxy(known, {
        get(target, name: string) {
          if (name in target) return target[name];
          return () => {
            throw localOnly(t, `${group}.${name}`);
          };
        },
      });
    },
  });
}
