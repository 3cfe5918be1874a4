/**
 * Type tests of the public entry points, as a consumer sees them: `chunkwise/*` resolves to the
 * built declarations in `lib/` (tsconfig.types.json; `npm run build:lib` first). They pin what
 * each entry exports and how the method map types both sides of the protocol. Run by `vitest`
 * in typecheck mode: a type that drifts fails here.
 */
import type { Page } from '@playwright/test';
import {
  type DownloadTarget,
  type ErrorCode,
  registerStreamProxy,
  type SessionInfo,
  type SessionStats,
  type StreamProxyClient,
  StreamProxyError,
} from 'chunkwise/client';
import {
  createStreamProxy,
  installStreamProxy,
  type ProxyError,
  type ProxyErrorCode,
  type StreamProxyOptions,
  type StreamProxyWorker,
} from 'chunkwise/sw';
import { checkRanges, type PageLike, type RangeReport, rangeCases } from 'chunkwise/testing';
import { streamProxyRoutes, streamRouteCallbacks } from 'chunkwise/workbox';
import { describe, expectTypeOf, test } from 'vitest';
import type { RouteHandlerCallback, RouteMatchCallback } from 'workbox-core';
import type { Route } from 'workbox-routing';
import type {
  MethodCall,
  MethodHandlers,
  Params,
  ProxyMethods,
  Result,
} from '../../src/shared/methods.ts';

describe('the method map derives every call', () => {
  test('results and params come from the map', () => {
    expectTypeOf<Result<'stats'>>().toEqualTypeOf<SessionStats>();
    expectTypeOf<Result<'createSession'>>().toEqualTypeOf<SessionInfo>();
    expectTypeOf<Params<'download'>['target']>().toEqualTypeOf<DownloadTarget>();
    expectTypeOf<DownloadTarget>().toEqualTypeOf<{ url: string } | { sessionId: string }>();
  });

  test('a wire call carries its method and its params', () => {
    expectTypeOf<{ type: 'stats'; id: string }>().toMatchTypeOf<MethodCall<'stats'>>();
    // @ts-expect-error: stats needs an id
    const missing: MethodCall<'stats'> = { type: 'stats' };
    // @ts-expect-error: a download target is { url } or { sessionId }, never a bare string
    const bare: MethodCall<'download'> = { type: 'download', target: 'x', jobId: 'j' };
    void missing;
    void bare;
  });

  test('a handler object must handle every method, returning its result', () => {
    type Handlers = MethodHandlers<unknown>;
    expectTypeOf<keyof Handlers>().toEqualTypeOf<keyof ProxyMethods>();
    expectTypeOf<ReturnType<Handlers['cacheDelete']>>().toEqualTypeOf<Promise<boolean> | boolean>();
    // @ts-expect-error: an object without a handler for every method does not compile
    const partial: Handlers = { ping: () => 'pong' as const };
    void partial;
  });
});

describe('chunkwise/client', () => {
  test('calls are typed by the method map', () => {
    expectTypeOf(registerStreamProxy).returns.resolves.toEqualTypeOf<StreamProxyClient>();
    expectTypeOf<StreamProxyClient['stats']>().returns.resolves.toEqualTypeOf<SessionStats>();
    expectTypeOf<StreamProxyClient['download']>().parameter(0).toEqualTypeOf<DownloadTarget>();
    expectTypeOf<StreamProxyClient['close']>().returns.toBeVoid();
  });

  test('error codes are a union, not any string', () => {
    expectTypeOf<StreamProxyError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<'worker-timeout'>().toMatchTypeOf<ErrorCode>();
    expectTypeOf<'QuotaExceededError'>().toMatchTypeOf<ErrorCode>();
    expectTypeOf<'over-budget'>().toMatchTypeOf<ErrorCode>();
    expectTypeOf<'no-such-code'>().not.toMatchTypeOf<ErrorCode>();
    // @ts-expect-error: an unknown code does not compile
    new StreamProxyError('no-such-code', 'x');
  });
});

describe('chunkwise/sw', () => {
  test('installs or creates the proxy; nothing internal', () => {
    expectTypeOf(installStreamProxy).parameter(0).toEqualTypeOf<StreamProxyOptions | undefined>();
    expectTypeOf(installStreamProxy).returns.toEqualTypeOf<StreamProxyWorker>();
    expectTypeOf(createStreamProxy).returns.toEqualTypeOf<StreamProxyWorker>();
    expectTypeOf<StreamProxyWorker['ready']>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ProxyError['code']>().toEqualTypeOf<ProxyErrorCode>();
    expectTypeOf<keyof typeof import('chunkwise/sw')>().toEqualTypeOf<
      'createStreamProxy' | 'installStreamProxy' | 'ProxyError' | 'DEFAULTS'
    >();
  });

  test('options are checked', () => {
    expectTypeOf<{ store: 'opfs'; budget: number }>().toMatchTypeOf<StreamProxyOptions>();
    expectTypeOf<{ store: 'memory' }>().not.toMatchTypeOf<StreamProxyOptions>();
  });
});

describe('chunkwise/workbox', () => {
  test('routes and callbacks are typed as Workbox types', () => {
    expectTypeOf(streamProxyRoutes).returns.toEqualTypeOf<Route[]>();
    expectTypeOf(streamRouteCallbacks).returns.toEqualTypeOf<{
      match: RouteMatchCallback;
      handler: RouteHandlerCallback;
    }>();
  });
});

describe('chunkwise/testing', () => {
  test('a Playwright page is a PageLike; the case table and report are typed', () => {
    expectTypeOf<Page>().toMatchTypeOf<PageLike>();
    expectTypeOf(checkRanges).returns.resolves.toEqualTypeOf<RangeReport>();
    expectTypeOf(rangeCases).parameter(0).toEqualTypeOf<number>();
  });
});
