/**
 * Small non-resource answers: status pages (errors, forced statuses) and control-API JSON.
 */
import type { ServerResponse } from 'node:http';

/** A short text/plain answer; no body for HEAD (RFC 9110 §9.3.2). */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(`${text}\n`);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** A captive portal's answer: 200 with an HTML sign-in page, whatever was asked. */
export function sendPortal(res: ServerResponse, headers: Record<string, string> = {}): void {
  const body = Buffer.from(
    '<!doctype html><title>Sign in</title><form>Sign in to the Wi-Fi</form>\n',
  );
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
