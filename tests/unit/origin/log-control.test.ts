import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LogEntry, type Origin, startOrigin } from '../../../tools/origin/index.ts';
import { defined, request } from './helpers.ts';

describe('request log and whenIdle', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => {
    await origin.whenIdle();
    origin.resetKnobs();
    origin.clearLog();
  });
  afterAll(() => origin.close());

  it('records method, path, url, range headers, status and bytes', async () => {
    const ifRange = '"1000-0-0"';
    await request(origin, '/synthetic/1000?seed=0', {
      Range: 'bytes=100-199',
      'If-Range': ifRange,
    });
    await request(origin, '/synthetic/1000', {}, 'HEAD');
    await request(origin, '/nowhere');
    await origin.whenIdle();
    const [ranged, head, missing] = origin.log.map((entry) => defined(entry));
    expect(ranged).toMatchObject({
      method: 'GET',
      path: '/synthetic/1000',
      url: '/synthetic/1000?seed=0',
      range: 'bytes=100-199',
      ifRange,
      status: 206,
      bytesSent: 100,
      aborted: false,
    });
    expect(head).toMatchObject({ method: 'HEAD', status: 200, bytesSent: 0, range: null });
    expect(missing).toMatchObject({ path: '/nowhere', status: 404, aborted: false });
    for (const entry of origin.log) {
      expect(entry.connId).toBeGreaterThan(0);
      expect(entry.start).toBeGreaterThanOrEqual(entry.arrived);
      expect(entry.end).toBeGreaterThanOrEqual(entry.start);
    }
    const ids = origin.log.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('is live: an entry appears on arrival and is completed in place', async () => {
    const arrived = origin.whenRequest((entry) => entry.path === '/synthetic/300000');
    const response = await fetch(`${origin.url}/synthetic/300000?rate=300000`);
    const entry: LogEntry = await arrived;
    expect(entry.status).toBe(200);
    expect(entry.end).toBeNull();
    const idle = origin.whenIdle();
    await response.arrayBuffer();
    await idle;
    expect(entry.end).not.toBeNull();
    expect(entry.bytesSent).toBe(300_000);
    expect(origin.log).toContain(entry);
  });

  it('shows concurrent requests as overlapping intervals', async () => {
    await Promise.all(
      [1, 2].map((seed) => request(origin, `/synthetic/100000?rate=500000&seed=${seed}`)),
    );
    await origin.whenIdle();
    const [a, b] = origin.log.map((entry) => defined(entry));
    expect(defined(a).start).toBeLessThan(defined(b).end ?? Number.NaN);
    expect(defined(b).start).toBeLessThan(defined(a).end ?? Number.NaN);
  });

  it('logs preflights without counting them for failNth', async () => {
    await request(origin, '/synthetic/10', { 'Access-Control-Request-Method': 'GET' }, 'OPTIONS');
    expect((await request(origin, '/synthetic/10?failNth=1')).status).toBe(503);
    await origin.whenIdle();
    expect(origin.log.map((entry) => [entry.method, entry.status])).toEqual([
      ['OPTIONS', 204],
      ['GET', 503],
    ]);
  });

  it('whenIdle resolves at once when idle, and after the last response otherwise', async () => {
    await origin.whenIdle();
    const response = await fetch(`${origin.url}/synthetic/200000?rate=1000000`);
    const idle = origin.whenIdle().then(() => defined(origin.log[0]).end);
    await response.arrayBuffer();
    expect(await idle).not.toBeNull();
  });

  it('clearLog empties the same array in place', async () => {
    const log = origin.log;
    await request(origin, '/synthetic/10');
    expect(log.length).toBe(1);
    origin.clearLog();
    expect(origin.log).toBe(log);
    expect(log.length).toBe(0);
  });
});

describe('control API', () => {
  let origin: Origin;
  const control = (path: string, init?: RequestInit) =>
    fetch(`${origin.url}/_control/${path}`, init);
  const post = (path: string, body?: unknown) =>
    control(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  it('GET /_control/log returns the log as JSON and is not logged itself', async () => {
    await request(origin, '/synthetic/10', { Range: 'bytes=0-1' });
    await origin.whenIdle();
    const response = await control('log', { headers: { Origin: 'http://app.test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test');
    const log = (await response.json()) as LogEntry[];
    expect(log).toEqual(JSON.parse(JSON.stringify(origin.log)));
    expect(log.map((entry) => entry.path)).toEqual(['/synthetic/10']);
  });

  it('POST /_control/log/clear clears the log', async () => {
    expect((await post('log/clear')).status).toBe(204);
    expect(origin.log).toEqual([]);
  });

  it('POST /_control/knobs sets knobs for a prefix; POST /_control/reset undoes them', async () => {
    const set = await post('knobs', {
      prefix: '/synthetic/',
      knobs: { status: 404, noExpose: true },
    });
    expect(set.status).toBe(204);
    const forced = await request(origin, '/synthetic/10');
    expect(forced.status).toBe(404);
    expect(forced.headers.get('access-control-expose-headers')).toBeNull();
    expect((await post('reset')).status).toBe(204);
    expect(origin.log).toEqual([]);
    expect((await request(origin, '/synthetic/10')).status).toBe(200);
  });

  it('POST /_control/knobs rejects bad input with 400 and the reasons', async () => {
    for (const body of [
      { prefix: '/x', knobs: { rate: -1 } },
      { prefix: '/x', knobs: { bogus: 1 } },
      { knobs: {} },
      'not an object',
    ]) {
      const response = await post('knobs', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { errors: string[] }).errors.length).toBeGreaterThan(0);
    }
    const invalidJson = await control('knobs', { method: 'POST', body: '{' });
    expect(invalidJson.status).toBe(400);
    await invalidJson.arrayBuffer();
  });

  it('GET /_control/idle answers once no response is in progress', async () => {
    const response = await fetch(`${origin.url}/synthetic/100000?rate=500000`);
    const idle = control('idle').then((r) => {
      expect(r.status).toBe(204);
      return defined(origin.log.at(-1)).end;
    });
    await response.arrayBuffer();
    expect(await idle).not.toBeNull();
  });

  it('answers preflights, unknown control paths and wrong methods', async () => {
    const preflight = await control('knobs', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    expect((await control('nothing')).status).toBe(404);
    expect((await control('knobs')).status).toBe(405);
  });
});
