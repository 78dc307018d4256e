/**
 * One invocation, step for step as the Node worker's InvocationHandler runs it: the programming
 * model builds the arguments, preInvocation hooks may change inputs and handler, the handler runs,
 * postInvocation hooks may change result and error, and the model turns the result into outputs.
 */
import type { CoreRegistry, RegisteredFunction } from './core-api';
import type {
  CoreInvocationContext,
  HookData,
  InvocationState,
  RpcInvocationRequest,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from './core-types';

export type InvocationLogger = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

export interface InvocationRequest {
  readonly invocationId: string;
  readonly inputData: RpcParameterBinding[];
  readonly triggerMetadata?: Record<string, RpcTypedData>;
  readonly log: InvocationLogger;
}

export async function runInvocation(
  registry: CoreRegistry,
  fn: RegisteredFunction,
  request: InvocationRequest,
): Promise<RpcInvocationResponse> {
  const model = registry.programmingModel;
  if (!model) throw new Error('The app registered no programming model (is "@azure/functions" installed?)');

  // Filled in once the model has built the context, so log hooks can see it.
  const current: { invocationContext?: unknown } = {};
  const rpcRequest: RpcInvocationRequest = {
    invocationId: request.invocationId,
    functionId: fn.functionId,
    inputData: request.inputData,
    triggerMetadata: request.triggerMetadata ?? {},
  };
  const coreCtx: CoreInvocationContext = {
    invocationId: request.invocationId,
    request: rpcRequest,
    metadata: {
      name: fn.name,
      functionId: fn.functionId,
      bindings: { ...fn.bindings },
      rawBindings: Object.entries(fn.bindings).map(([name, b]) => JSON.stringify({ ...b, name })),
      scriptFile: 'n/a',
    },
    state: undefined,
    log: (level, category, message) => {
      let finalLevel = level;
      let finalMessage = message;
      const hooks = registry.getHooks('log');
      if (hooks.length > 0) {
        const hookContext = {
          hookData: {} as HookData,
          appHookData: registry.appHookData,
          invocationContext: current.invocationContext,
          category,
          level,
          message,
        };
        for (const hook of hooks) hook(hookContext);
        // Only user logs may be rewritten by log hooks, as in the worker.
        if (category === 'user') {
          finalLevel = hookContext.level;
          finalMessage = hookContext.message;
        }
      }
      request.log(finalLevel, category, finalMessage);
    },
  };
  const setState = (state: InvocationState | undefined) => {
    coreCtx.state = state;
  };

  const invocationModel = await model.getInvocationModel(coreCtx);
  const hookData: HookData = {};
  const args = await invocationModel.getArguments();
  current.invocationContext = args.context;

  const pre = {
    hookData,
    appHookData: registry.appHookData,
    invocationContext: args.context,
    functionCallback: fn.callback,
    inputs: args.inputs,
  };
  setState('preInvocationHooks');
  try {
    for (const hook of registry.getHooks('preInvocation')) await hook(pre);
  } finally {
    setState(undefined);
  }

  const post = {
    hookData,
    appHookData: registry.appHookData,
    invocationContext: args.context,
    inputs: pre.inputs,
    result: null as unknown,
    error: null as unknown,
  };
  setState('invocation');
  try {
    post.result = await invocationModel.invokeFunction(args.context, pre.inputs, pre.functionCallback);
  } catch (err) {
    post.error = err;
  } finally {
    setState(undefined);
  }

  setState('postInvocationHooks');
  try {
    for (const hook of registry.getHooks('postInvocation')) await hook(post);
  } finally {
    setState(undefined);
  }

  // The worker rethrows only Error-like values; a hook may also have cleared the error.
  if (post.error !== null && post.error !== undefined) {
    throw post.error instanceof Error ? post.error : new Error(JSON.stringify(post.error));
  }
  return invocationModel.getResponse(args.context, post.result);
}
