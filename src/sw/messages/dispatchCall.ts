import type {
  MethodCall,
  MethodHandlers,
  MethodName,
  Params,
  Result,
} from '../../shared/methods.ts';
import { checkCall } from './checkCall.ts';
import type { CallContext } from './messageHandlers.ts';

/**
 * Run one call from a page: checked first (`checkCall`: an unknown method or a malformed field is
 * `bad-request` naming it), then handed to its handler with its parameters and context.
 */
export async function dispatchCall<M extends MethodName>(
  handlers: MethodHandlers<CallContext>,
  raw: MethodCall<M> | unknown,
  extend: (work: Promise<unknown>) => void,
): Promise<Result<M>> {
  const call = checkCall(raw, handlers) as MethodCall<M>;
  const { type, revealUrls, ...params } = call;
  const handler = handlers[type] as (
    params: Params<M>,
    context: CallContext,
  ) => Promise<Result<M>> | Result<M>;
  return handler(params as unknown as Params<M>, { reveal: revealUrls === true, extend });
}
