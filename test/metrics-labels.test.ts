import { describe, expect, it } from 'vitest';
import { redactingProcessor, redactUrl } from '../bot/telemetry/azure-monitor.js';
import { fetchLabel, invokeLabel, slugLabel } from '../bot/telemetry/labels.js';

// Issue 21: nothing personal leaves the process through telemetry: metric labels come from closed lists, and the
// URLs OpenTelemetry records (calendar tokens, signed report ids, Teams conversation ids) are redacted as spans start.

describe('metric labels', () => {
  it('name an invoke by the bot\'s own verb, never by what the client sent', () => {
    expect(invokeLabel('adaptiveCard/action', 'nominate')).toBe('nominate');
    expect(invokeLabel('adaptiveCard/action', 'Gareth Owen 36f675cc-81e7-4ef5-a8e2-5d940ed90475')).toBe('unknown-verb');
    expect(invokeLabel('adaptiveCard/action', { verb: 'nominate' })).toBe('unknown-verb');
    expect(invokeLabel('composeExtension/query', 'nominate')).toBe('other-invoke');
  });

  it('name a fetch by its route and format, never by its token or id', () => {
    expect(fetchLabel('/calendar/:token', '/calendar/AbC123secret.ics')).toBe('calendar.ics');
    expect(fetchLabel('/reports/*', '/reports/eyJzIjoiMSJ9.sig.docx')).toBe('reports.docx');
    expect(fetchLabel('/reports/*', '/reports/eyJzIjoiMSJ9.sig.exe')).toBe('reports');
    expect(fetchLabel('/somewhere/:x', '/somewhere/1.csv')).toBe('other');
  });

  it('pass a kind or job name through only when it is a plain slug', () => {
    expect(slugLabel('attendance-reminder')).toBe('attendance-reminder');
    expect(slugLabel('19:abc@thread.tacv2')).toBe('other');
    expect(slugLabel('Gareth Owen')).toBe('other');
  });
});

describe('span redaction', () => {
  it.each([
    ['https://bot.example/calendar/s3cr3t-token.ics?x=1', 'https://bot.example/calendar/{token}'],
    ['/reports/eyJpZCI6IjEifQ.c2ln.pdf', '/reports/{id}'],
    ['https://smba.trafficmanager.net/uk/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1/activities/1699', 'https://smba.trafficmanager.net/uk/v3/conversations/{id}/activities/{id}'],
    ['/v3/conversations/a%3A1xyz/members/29%3A1abc', '/v3/conversations/{id}/members/{id}'],
    ['/healthz', '/healthz'],
  ])('redacts %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('rewrites the URL attributes of a span as it starts, and leaves the others alone', () => {
    const attributes: Record<string, unknown> = { 'url.full': 'https://bot.example/calendar/tok.ics', 'http.target': '/reports/abc.csv', 'http.method': 'GET', 'http.status_code': 200 };
    redactingProcessor.onStart({ attributes, setAttribute: (k: string, v: string) => (attributes[k] = v) });
    expect(attributes).toEqual({ 'url.full': 'https://bot.example/calendar/{token}', 'http.target': '/reports/{id}', 'http.method': 'GET', 'http.status_code': 200 });
  });
});
