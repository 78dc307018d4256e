/**
 * Hubbub's wire contract: the one place the SPA and the Functions app learn what crosses the wire
 * (shapes, events, routes, limits, error codes) and how to check it. docs/wire-contract.md
 * describes it in prose.
 */
export * from './addresses';
export * from './errors';
export * from './events';
export * from './limits';
export * from './routes';
export * from './schemas';
