/** How long a credential lives unless asked otherwise, and at most (days). */
export const DEFAULT_EXPIRY_DAYS = 90;
export const MAX_EXPIRY_DAYS = 365;
