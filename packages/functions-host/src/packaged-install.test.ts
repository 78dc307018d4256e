/**
 * The package as a user gets it: `npm pack`, installed into an empty project next to the real
 * `@azure/functions` (both from the registry), running that project's own Node v4 app through
 * `npx functions-host`, with no file of this repository on the path.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  itRunsThroughNpx,
  packAndInstall,
  type PackedInstall,
  startBin,
} from '../../../local/testing/packaged-install';

let installed: PackedInstall;

const APP = `const { app } = require('@azure/functions');

app.http('hello', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request, context) => ({ jsonBody: { hello: request.query.get('name'), fn: context.functionName } }),
});
`;

beforeAll(async () => {
  installed = await packAndInstall(join(__dirname, '..'), { '@azure/functions': '^4.0.0' });
  console.log(installed.summary());
  // The temporary project is the app: main names its function file, as `func init` sets it up.
  await writeFile(join(installed.dir, 'app.js'), APP);
  await writeFile(join(installed.dir, 'host.json'), JSON.stringify({ version: '2.0' }));
  const pkg = join(installed.dir, 'package.json');
  const manifest = JSON.parse(await readFile(pkg, 'utf8')) as object;
  await writeFile(pkg, JSON.stringify({ ...manifest, main: 'app.js' }));
}, 120_000);
afterAll(() => installed?.remove());

itRunsThroughNpx(() => installed, 'functions-host', 'Usage: functions-host [--port 7071]', '22.0.0');

it("loads the project's own v4 app and serves its HTTP function", async () => {
  const host = startBin(installed.dir, 'functions-host', ['--port', '0'], { direct: true });
  try {
    const [, url] = await host.waitFor(/Host listening on (http:\/\/localhost:\d+)/);
    expect(host.output()).toContain(`hello: [GET] ${url}/api/hello`);
    const response = await fetch(`${url}/api/hello?name=ada`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: 'ada', fn: 'hello' });
  } finally {
    expect(await host.stop()).toBe(0);
  }
}, 60_000);
