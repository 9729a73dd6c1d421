/** The policy modes (policy.schema.ts has their parameters). */
export const POLICY_MODES = ['conservative', 'moderate', 'aggressive', 'custom'] as const;
