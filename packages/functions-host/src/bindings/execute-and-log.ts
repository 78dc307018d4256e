/**
 * The execute-and-log block every non-HTTP trigger shares: run the function through the host and,
 * when it or a binding fails, log it as the host does, `Executed 'Functions.<name>' (Failed, <what>)`
 * with the stack. What the trigger then does about the failure (retry, poison, error reply) is its own.
 */
import type { HostContext, Invocation, InvocationResult } from './binding';

/** The result, or undefined when the invocation failed (already logged). */
export async function executeAndLog(
  host: HostContext,
  invocation: Invocation,
  what?: string,
): Promise<InvocationResult | undefined> {
  try {
    return await host.execute(invocation);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    const name = invocation.fn.name;
    host.log(
      `[${name}] Executed 'Functions.${name}' (Failed${what === undefined ? '' : `, ${what}`}): ${error.stack ?? error.message}`,
    );
    return undefined;
  }
}
