/** Names the CLI offers without loading the learners: model stages and learner kinds. */
export const STAGES = ['staging', 'production', 'shadow', 'archived'] as const;
export const LEARNERS = ['t-learner', 'x-learner', 's-learner', 'uplift-forest'] as const;
