/** The notifier's contract, shared by every alert source (SLOs today; data health and billing quotas later). */

export type Severity = 'page' | 'ticket';

/** One alert state change to deliver. */
export interface AlertEvent {
  action: 'trigger' | 'resolve';
  /** Stable per incident: PagerDuty folds triggers with the same key into one incident and resolves it by key. */
  dedupKey: string;
  severity: Severity;
  /** One line, e.g. "SLO api-availability burning 120x (1h) ...". */
  summary: string;
  /** What raised it: 'slo', 'data_health', 'billing_quota'. */
  source: string;
  /** The condition, e.g. 'slo:api-availability:page'. */
  alertKey: string;
  at: Date;
  details?: Record<string, unknown>;
  runbook?: string;
}

export type Destination = 'slack' | 'pagerduty';

export interface DeliveryResult {
  destination: Destination;
  ok: boolean;
  /** Final HTTP status, or 0 when no answer came (network error, timeout). */
  status: number;
  attempts: number;
  /** True when retrying later may help (429, 5xx, network); false for 4xx such as 400. */
  retryable: boolean;
  error?: string;
}

export interface Notifier {
  /** Delivers to every destination routed for the event's severity; never throws for delivery failures. */
  notify(event: AlertEvent): Promise<DeliveryResult[]>;
  /** Destinations configured, for status output. */
  readonly destinations: readonly Destination[];
}
