// Outside the Functions worker, @azure/functions warns once per registration that it runs in
// test mode; that is expected when handlers are called directly, so keep test output readable.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && /"@azure\/functions" package (to|is in) test mode/.test(args[0])) return;
  warn(...args);
};
