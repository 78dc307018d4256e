import { Observable, combineLatest, concatMap, map, take, type ObservedValueOf, type OperatorFunction } from 'rxjs';

/**
 * Pairs each value with the latest values of other streams (typically store selectors), reading
 * them only when the value arrives. The same contract as `@ngrx/operators`' concatLatestFrom,
 * which this project does not depend on.
 */
export function concatLatestFrom<T, O extends readonly Observable<unknown>[]>(
  factory: (value: T) => readonly [...O],
): OperatorFunction<T, [T, ...{ [K in keyof O]: ObservedValueOf<O[K]> }]>;
export function concatLatestFrom<T, O extends Observable<unknown>>(
  factory: (value: T) => O,
): OperatorFunction<T, [T, ObservedValueOf<O>]>;
export function concatLatestFrom<T>(
  factory: (value: T) => Observable<unknown> | readonly Observable<unknown>[],
): OperatorFunction<T, unknown[]> {
  return concatMap((value: T) => {
    const sources = factory(value);
    const list: readonly Observable<unknown>[] = Array.isArray(sources) ? sources : [sources as Observable<unknown>];
    return combineLatest(list).pipe(
      take(1),
      map((latest) => [value, ...latest]),
    );
  });
}
