/** Message bodies for Slack incoming webhooks and the PagerDuty Events API v2. */
import type { AlertEvent } from './notify.types.ts';

/** Slack: one mrkdwn text line plus a context line; resolves say so. */
export function slackMessage(e: AlertEvent): Record<string, unknown> {
  const icon = e.action === 'resolve' ? ':white_check_mark:' : e.severity === 'page' ? ':rotating_light:' : ':warning:';
  const verb = e.action === 'resolve' ? 'RESOLVED' : e.severity.toUpperCase();
  const text = `${icon} [${verb}] ${e.summary}`;
  const context = [
    `source: ${e.source}`,
    `key: ${e.alertKey}`,
    `at: ${e.at.toISOString()}`,
    ...(e.runbook ? [`runbook: ${e.runbook}`] : []),
  ];
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' | ') }] },
    ],
  };
}

/** PagerDuty Events v2: trigger with a summary and details, resolve by dedup key alone. */
export function pagerDutyEvent(e: AlertEvent, routingKey: string): Record<string, unknown> {
  if (e.action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: e.dedupKey };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: e.dedupKey,
    payload: {
      // PagerDuty caps the summary at 1024 characters.
      summary: e.summary.slice(0, 1024),
      source: 'stormops',
      severity: e.severity === 'page' ? 'critical' : 'warning',
      timestamp: e.at.toISOString(),
      component: e.source,
      class: e.alertKey,
      custom_details: { ...e.details, alert_key: e.alertKey, ...(e.runbook ? { runbook: e.runbook } : {}) },
    },
  };
}
