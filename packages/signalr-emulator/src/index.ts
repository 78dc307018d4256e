/** The package's programmatic API: start an emulator in-process, and the service's token and connection-string rules. */
export { buildConnectionString, DEFAULT_EMULATOR_ACCESS_KEY } from './connection-string';
export { type JwtAlgorithm, type JwtPayload, signJwt, verifyJwt, type VerifyOptions, type VerifyResult } from './jwt';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './server';
export { parseUpstreamSettings, upstreamSignature, type UpstreamTemplate } from './upstream';
