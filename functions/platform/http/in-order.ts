/**
 * Steps of a request that are independent run together, but answer as if they had run in turn:
 * {@link allInOrder} waits for every one and throws the failure of the first in argument order,
 * not the first in time, so which refusal a client sees does not depend on which read was faster.
 */

/** Like `Promise.all`, but settles every step first and throws the first failure in argument order. */
export async function allInOrder<T extends readonly unknown[]>(steps: {
  readonly [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const values: unknown[] = [];
  for (const step of settled) {
    if (step.status === 'rejected') throw step.reason;
    values.push(step.value);
  }
  return values as unknown as T;
}
