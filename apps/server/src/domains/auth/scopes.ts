/** Checks the scopes and grants asked for a new credential against its role: never more than the role may hold. */
import { AppError } from '../../errors.ts';
import { GRANTABLE, PERMISSIONS, isAction, roleHolds, type Action, type Role } from './permissions.ts';

/** Scopes must be actions the role holds (or is granted); an unknown or larger scope is refused, naming it. */
export function checkScopes(role: Role, scopes: readonly string[] | undefined, grants: readonly Action[] = []) {
  if (scopes === undefined) return undefined;
  if (scopes.length === 0) throw new AppError('VALIDATION', 'scopes: give at least one action, or none for all');
  for (const s of scopes) {
    if (!isAction(s))
      throw new AppError('VALIDATION', `scopes: ${s} is not an action of the permission table`, { scope: s });
    if (!roleHolds(role, s) && !grants.includes(s))
      throw new AppError(
        'VALIDATION',
        `scopes: role ${role} does not hold ${s} (held by ${PERMISSIONS[s].roles.join(', ')})`,
        {
          scope: s,
          role,
        },
      );
  }
  return [...new Set(scopes)] as Action[];
}

export function checkGrants(role: Role, grants: readonly string[] | undefined): Action[] {
  const allowed = GRANTABLE[role] ?? [];
  for (const g of grants ?? []) {
    if (!isAction(g) || !allowed.includes(g))
      throw new AppError(
        'VALIDATION',
        `grants: ${g} cannot be granted to role ${role}${allowed.length ? ` (grantable: ${allowed.join(', ')})` : ''}`,
        { grant: g, role },
      );
  }
  return [...new Set(grants ?? [])] as Action[];
}
