/**
 * The one permission table: every action a caller can take, the roles that hold it, the feature flag that gates it
 * and why. Routes declare one of these actions, the HTTP hook enforces it, every service function checks it again
 * with `authorize`, /openapi.json shows it as `x-permission`, and docs/access-control.md is generated from it.
 */
import type { Feature } from '../tenants/tenants.schema.ts';

/** Roles inside one tenant, held by a tenant's users and their credentials. */
export const TENANT_ROLES = ['admin', 'analyst', 'canvasser', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Platform staff beside the operator: they work across tenants, each within a narrow scope. */
export const STAFF_ROLES = ['customer_success_manager', 'support'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The launch playbook's names for staff roles. */
export const STAFF_ROLE_ALIASES: Readonly<Record<string, StaffRole>> = {
  CustomerSuccessManager: 'customer_success_manager',
  customer_success: 'customer_success_manager',
  Support: 'support',
};

export const ROLES = ['operator', ...STAFF_ROLES, ...TENANT_ROLES] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_WHY: Record<Role, string> = {
  operator:
    'Runs the platform (the platform token and the local CLI): provisions tenants, sets tiers and flags, issues staff credentials. Holds everything, and acts in a tenant only by naming it.',
  customer_success_manager:
    "Customer Success works for the platform, across every tenant: usage, plans and each tenant's settings and health, so it can call a customer whose pilot stalls. Never a tenant's properties, outcomes or reports.",
  support:
    "Answers tickets: reads any tenant's settings (tier, flags, status) and the platform's health, and changes nothing.",
  admin:
    "The contractor's owner or office manager: everything inside the tenant, users and credentials included, and the only tenant role that changes policy parameters, applies a policy or moves a model between stages.",
  analyst:
    'Works the data: storms, imports, models, scoring, policy previews (shadow runs), analysis and reports. No users or credentials, and no real policy apply: treating doors commits crews, which is the admin’s call.',
  canvasser:
    'Knocks doors: reads storms and its walk lists and territories, logs knocks and outcomes. Nothing else: a lost phone must not expose the customer list or the models.',
  viewer:
    'Read-only: storms, properties, models, policy runs, data health and reports, for an owner or a partner who watches but does not act.',
};

interface ActionSpec {
  readonly roles: readonly Role[];
  /** The feature flag that must be on in the tenant for this action. */
  readonly feature?: Feature;
  readonly what: string;
}

const OP = 'operator';
const CSM = 'customer_success_manager';
const ALL_TENANT = ['admin', 'analyst', 'canvasser', 'viewer'] as const;
const READERS = ['admin', 'analyst', 'viewer'] as const;
const WORKERS = ['admin', 'analyst'] as const;

export const PERMISSIONS = {
  'tenant:admin': { roles: [OP], what: 'provision tenants; change tier, feature flags, status' },
  'tenants:list': { roles: [OP, CSM, 'support'], what: 'list every tenant' },
  'tenant:read': { roles: [OP, CSM, 'support', ...ALL_TENANT], what: "read a tenant's settings (a tenant: itself)" },
  'billing:read': {
    roles: [OP, CSM],
    what: 'usage, plans, invoices, dashboards and customer health of every tenant',
  },
  'billing:own': { roles: [OP, 'admin'], what: "the tenant's own billing dashboard, quota alerts and invoices" },
  'billing:write': {
    roles: [OP],
    what: 'record usage events, set contract overrides, create, finalize, void and settle invoices, close a period',
  },
  'platform:health': { roles: [OP, 'support'], what: "the platform's SLOs and open alerts" },
  'platform:admin': { roles: [OP], what: 'evaluate SLOs, retention audit, staff credentials' },
  'credentials:admin': { roles: [OP, 'admin'], what: 'issue, list and revoke credentials of the tenant' },
  'users:admin': { roles: [OP, 'admin'], what: "the tenant's users and their roles; single sign-on settings" },
  'account:self': { roles: [OP, CSM, 'support', ...ALL_TENANT], what: 'who you are signed in as; sign out' },
  'audit:read': { roles: [OP, 'admin'], what: 'the audit log (a tenant admin: its own tenant)' },
  'storms:read': { roles: [OP, ...ALL_TENANT], what: 'list and show storms' },
  'storms:write': { roles: [OP, ...WORKERS], what: 'create storms, move their status' },
  'properties:read': { roles: [OP, ...READERS], what: 'properties, exposure, imports' },
  'properties:write': { roles: [OP, ...WORKERS], what: 'import properties and storm reports, mappings, exposure' },
  'models:read': { roles: [OP, ...READERS], what: 'models, metrics, stage history' },
  'models:write': { roles: [OP, ...WORKERS], feature: 'uplift_scoring', what: 'train a model (lands in staging)' },
  'models:promote': { roles: [OP, 'admin'], what: 'promote a model to a stage, roll back' },
  'scoring:run': { roles: [OP, ...WORKERS], feature: 'uplift_scoring', what: "score a storm's properties" },
  'policy:read': { roles: [OP, ...READERS], what: 'policy versions, runs, contamination' },
  'policy:write': { roles: [OP, 'admin'], feature: 'policy_control', what: 'change policy parameters' },
  'policy:preview': { roles: [OP, ...WORKERS], feature: 'policy_control', what: 'shadow policy runs (no arms)' },
  'policy:apply': { roles: [OP, 'admin'], feature: 'policy_control', what: 'apply a policy: assign arms' },
  'territories:write': { roles: [OP, ...WORKERS], what: 'split the treat list into territories' },
  'walklists:read': { roles: [OP, ...ALL_TENANT], what: 'walk lists in walking order' },
  'knocks:write': { roles: [OP, 'admin', 'analyst', 'canvasser'], what: 'log knocks' },
  'outcomes:write': { roles: [OP, 'admin', 'analyst', 'canvasser'], what: 'log and import outcomes' },
  'outcomes:read': { roles: [OP, ...ALL_TENANT], what: "a property's outcome history" },
  'health:read': { roles: [OP, ...READERS], what: "a storm's data health; the tenant's data-health rules" },
  'health:write': { roles: [OP, ...WORKERS], what: "set the tenant's data-health rules (the uplift band)" },
  'feedback:write': {
    roles: [OP, CSM, 'admin'],
    what: "record the contractor's satisfaction with a pilot (Customer Success asks it)",
  },
  'reports:read': { roles: [OP, ...READERS], feature: 'pilot_reports', what: 'the pilot report (PDF: pdf_reports)' },
  'analysis:run': { roles: [OP, ...WORKERS], what: 'analyze a past campaign CSV' },
} as const satisfies Record<string, ActionSpec>;

export type Action = keyof typeof PERMISSIONS;

/**
 * What a route declares: an action of the table, or `public` for the few routes a caller reaches before it has a
 * credential (signing in, accepting an invitation). A public route authenticates nobody and checks nothing.
 */
export const PUBLIC = 'public';
export type RoutePermission = Action | typeof PUBLIC;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function isAction(value: string): value is Action {
  return Object.hasOwn(PERMISSIONS, value);
}

export function specOf(action: Action): ActionSpec {
  return PERMISSIONS[action];
}

export function roleHolds(role: Role, action: Action): boolean {
  return (PERMISSIONS[action].roles as readonly Role[]).includes(role);
}

/** Every action a role holds, in table order. */
export function actionsOf(role: Role): Action[] {
  return ACTIONS.filter((a) => roleHolds(role, a));
}

/**
 * Actions an admin may grant to a role beyond its defaults, on one credential. An analyst applies a policy on an
 * active storm only with a credential that grants `policy:apply`.
 */
export const GRANTABLE: Partial<Record<Role, readonly Action[]>> = { analyst: ['policy:apply'] };
