export type { SessionInfo, SessionOptions, SessionStats } from '../shared/protocol.ts';
export {
  type RegisterOptions,
  registerStreamProxy,
  type StreamProxyClient,
  StreamProxyError,
} from './registerStreamProxy.ts';
