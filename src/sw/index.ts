export { ProxyError, type ProxyErrorCode } from './errors/ProxyError.ts';
export { installStreamProxy } from './installStreamProxy.ts';
export { DEFAULTS, StreamProxy, type StreamProxyOptions } from './StreamProxy.ts';
