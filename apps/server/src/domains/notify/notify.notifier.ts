/**
 * The one notifier. Routing: a page goes to PagerDuty (trigger and resolve with the incident's dedup key) and Slack;
 * a ticket goes to Slack only. Destinations come from config; an unconfigured one is skipped.
 */
import type { Config } from '../../config.ts';
import { DEFAULT_RETRY, defaultHttpDeps, postJson, type HttpDeps, type RetryPolicy } from './notify.http.ts';
import { pagerDutyEvent, slackMessage } from './notify.payloads.ts';
import type { AlertEvent, DeliveryResult, Destination, Notifier, Severity } from './notify.types.ts';

export interface NotifierConfig {
  slackWebhookUrl?: string | undefined;
  pagerdutyRoutingKey?: string | undefined;
  /** Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue). */
  pagerdutyUrl?: string | undefined;
  retry?: Partial<RetryPolicy>;
  /** Which destinations each severity goes to. */
  routes?: Partial<Record<Severity, readonly Destination[]>>;
}

export const DEFAULT_ROUTES: Record<Severity, readonly Destination[]> = {
  page: ['pagerduty', 'slack'],
  ticket: ['slack'],
};
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export function createNotifier(config: NotifierConfig, deps: Partial<HttpDeps> = {}): Notifier {
  const http: HttpDeps = { ...defaultHttpDeps, ...deps };
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...config.retry };
  const routes = { ...DEFAULT_ROUTES, ...config.routes };
  const senders: Partial<Record<Destination, (e: AlertEvent) => Promise<DeliveryResult>>> = {};
  if (config.slackWebhookUrl) {
    const url = config.slackWebhookUrl;
    senders.slack = async (e) => ({ destination: 'slack', ...(await postJson(url, slackMessage(e), policy, http)) });
  }
  if (config.pagerdutyRoutingKey) {
    const url = config.pagerdutyUrl ?? PAGERDUTY_EVENTS_URL;
    const key = config.pagerdutyRoutingKey;
    senders.pagerduty = async (e) => ({
      destination: 'pagerduty',
      ...(await postJson(url, pagerDutyEvent(e, key), policy, http)),
    });
  }
  return {
    destinations: Object.keys(senders) as Destination[],
    async notify(event) {
      const targets = routes[event.severity].filter((d) => senders[d]);
      const results = await Promise.all(
        targets.map((d) => (senders[d] as (e: AlertEvent) => Promise<DeliveryResult>)(event)),
      );
      // Strip the response body: callers keep only the outcome.
      return results.map((r) => {
        const { destination, ok, status, attempts, retryable, error } = r as DeliveryResult & { body?: string };
        return { destination, ok, status, attempts, retryable, ...(error ? { error } : {}) };
      });
    },
  };
}

/** A notifier that delivers nothing (no destinations configured). */
export const silentNotifier: Notifier = { destinations: [], notify: async () => [] };

/** The notifier for a configuration (STORMOPS_SLACK_WEBHOOK_URL, STORMOPS_PAGERDUTY_ROUTING_KEY, STORMOPS_PAGERDUTY_URL). */
export function notifierFromConfig(config: Pick<Config, 'alerts'>, deps: Partial<HttpDeps> = {}): Notifier {
  return createNotifier(
    {
      slackWebhookUrl: config.alerts.slackWebhookUrl,
      pagerdutyRoutingKey: config.alerts.pagerdutyRoutingKey,
      pagerdutyUrl: config.alerts.pagerdutyUrl,
    },
    deps,
  );
}
