// Requests built the way Slack builds them: form-encoded slash commands and `payload=` for block
// actions, signed with `v0=` + HMAC-SHA256(signing secret, `v0:{timestamp}:{body}`).
import { createHmac } from 'node:crypto';

/** The signature Slack sends in x-slack-signature. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Sends a body to the receiver with Slack's headers; `sign: false` leaves them out. */
export async function sendSigned(
  url: string,
  body: string,
  options: { secret: string; timestamp?: number; signature?: string; sign?: boolean; contentType?: string },
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' };
  if (options.sign !== false) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = options.signature ?? slackSignature(options.secret, timestamp, body);
  }
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text(), ms: performance.now() - started };
}

/** A slash command body. */
export function commandBody(text: string, fields: { user?: string; channel?: string; responseUrl: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0TEAM',
    team_domain: 'acme',
    channel_id: fields.channel ?? 'C0ALERTS',
    channel_name: 'crm-alerts',
    user_id: fields.user ?? 'U0ADMIN',
    user_name: 'maria',
    command: '/kpi',
    text,
    api_app_id: 'A0APP',
    response_url: fields.responseUrl,
    trigger_id: '123.456.abc',
  }).toString();
}

/** A block_actions body for a button or select on a message. */
export function actionBody(action: Record<string, unknown>, fields: { user?: string; channel: string; ts: string; responseUrl: string }): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0TEAM', domain: 'acme' },
    user: { id: fields.user ?? 'U0ADMIN', username: 'maria', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    trigger_id: '123.456.def',
    channel: { id: fields.channel, name: 'crm-alerts' },
    message: { ts: fields.ts, type: 'message', text: 'card' },
    container: { type: 'message', message_ts: fields.ts, channel_id: fields.channel },
    response_url: fields.responseUrl,
    actions: [{ block_id: 'alert', action_ts: '1700000000.000200', ...action }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A view_submission body for a modal: its callback id, private metadata and the values entered. */
export function viewSubmissionBody(
  view: { callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>> },
  fields: { user?: string } = {},
): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0TEAM', domain: 'acme' },
    user: { id: fields.user ?? 'U0ADMIN', username: 'maria', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    trigger_id: '123.456.ghi',
    view: {
      id: 'V0MODAL',
      team_id: 'T0TEAM',
      type: 'modal',
      callback_id: view.callbackId,
      private_metadata: view.privateMetadata,
      hash: '1700000000.abc',
      state: { values: view.values },
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
