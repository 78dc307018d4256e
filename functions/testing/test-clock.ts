/**
 * The clock every function reads (`Date.now`), mocked around each test of a file and moved forward
 * by the test: `clock.advance(ms)`.
 */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export function useTestClock(start: number): TestClock {
  let at = start;
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => at);
  });
  afterEach(() => jest.restoreAllMocks());
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
  };
}
