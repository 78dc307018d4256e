import { TestScheduler } from 'rxjs/testing';

import { idleAfter } from './away';

describe('idleAfter', () => {
  it('is false at the start and after each input, true once the input has been quiet for the idle time', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      // Input at 5 ms, quiet until 50 ms, input again at 50 ms.
      const input$ = hot('5ms i 44ms i');
      expectObservable(idleAfter(input$, 20, scheduler), '^ 100ms !').toBe('f 24ms t 24ms f 19ms t', {
        f: false,
        t: true,
      });
    });
  });
});
