/**
 * The demo `npm start` seeds once: a tenant and the 20 May 2013 Oklahoma City storm, played out (demo-campaign.ts).
 * Idempotent: a second start finds everything and only re-issues the demo credential if its file was lost or the
 * credential no longer works (expired or revoked).
 */
import type { Database } from '../db/database.ts';
import { PLATFORM, type ServiceContext } from '../domains/auth/principal.ts';
import { authenticate } from '../domains/auth/tokens.ts';
import { createStorm, listStorms } from '../domains/storms/storms.service.ts';
import type { StormView } from '../domains/storms/storms.schema.ts';
import { createCredential, provisionTenant } from '../domains/tenants/tenants.service.ts';
import { readSecret, writeSecret } from './local-secrets.ts';
import { ensureDemoCampaign } from './demo-campaign.ts';

export const DEMO = {
  orgName: 'Demo Roofing Co',
  tier: 'standard',
  adminEmail: 'admin@demo-roofing.example',
  eventId: 'OKC_2013_05_20',
  stormName: 'Oklahoma City hail (20 May 2013 reports, replayed this week)',
} as const;

export interface DemoSeed {
  tenant_id: string;
  storm: StormView;
  token: string;
  created: boolean;
}

export async function seedDemo(
  db: Database,
  secretsDir: string,
  log: (message: string) => void = () => {},
): Promise<DemoSeed> {
  const ctx: ServiceContext = { db, principal: PLATFORM };
  const tenant = await provisionTenant(ctx, { org_name: DEMO.orgName, tier: DEMO.tier, admin_email: DEMO.adminEmail });
  if (tenant.admin_token) writeSecret(secretsDir, 'demo-token', tenant.admin_token);
  let token = readSecret(secretsDir, 'demo-token');
  // A kept credential expires (90 days) or may have been revoked: re-issue one rather than show a dead token.
  if (
    token &&
    !(await authenticate(db, undefined, token).then(
      () => true,
      () => false,
    ))
  )
    token = undefined;
  if (!token) {
    token = (
      await createCredential(ctx, { tenant_id: tenant.tenant_id, email: DEMO.adminEmail, role: 'admin', name: 'demo' })
    ).token;
    writeSecret(secretsDir, 'demo-token', token);
  }
  const existing = (await listStorms(ctx, { tenant_id: tenant.tenant_id, limit: 1000 })).find(
    (s) => s.event_id === DEMO.eventId,
  );
  const storm =
    existing ??
    (await createStorm(ctx, {
      tenant_id: tenant.tenant_id,
      event_id: DEMO.eventId,
      name: DEMO.stormName,
      // The real reports of 20 May 2013, replayed as a storm of three days ago: crews knocked the two days after.
      starts_at: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
      ends_at: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
      region: 'Oklahoma City metro, OK',
    }));
  await ensureDemoCampaign(
    { db, principal: { kind: 'tenant', tenantId: tenant.tenant_id, userId: tenant.admin_user_id, role: 'admin' } },
    storm.storm_id,
    log,
  );
  return { tenant_id: tenant.tenant_id, storm, token, created: tenant.created };
}
