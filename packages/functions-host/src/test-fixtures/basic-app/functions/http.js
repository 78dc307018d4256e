// HTTP trigger fixtures: routes, params, methods, bodies, responses, errors, identity.
const { app, HttpResponse } = require('@azure/functions');

app.http('echo', {
  methods: ['GET', 'POST', 'PUT'],
  route: 'echo/{id?}',
  handler: async (request, context) => {
    const text = request.method === 'GET' ? '' : await request.text();
    context.log('echo invoked');
    return {
      jsonBody: {
        method: request.method,
        url: request.url,
        params: request.params,
        query: Object.fromEntries(request.query.entries()),
        tags: request.query.getAll('tag'),
        contentType: request.headers.get('content-type'),
        custom: request.headers.get('x-custom'),
        principalId: request.headers.get('x-ms-client-principal-id'),
        body: text,
        invocationId: context.invocationId,
        functionName: context.functionName,
        greeting: process.env.FIXTURE_GREETING,
      },
    };
  },
});

app.get('roomMessages', {
  route: 'rooms/{room}/messages',
  handler: async (request) => ({ jsonBody: { room: request.params.room, before: request.query.get('before') } }),
});

app.get('roomsNew', {
  route: 'rooms/new/messages',
  handler: async () => ({ jsonBody: { literal: true } }),
});

app.post('json', {
  handler: async (request) => {
    const body = await request.json();
    return { status: 201, jsonBody: { received: body } };
  },
});

app.post('bytes', {
  handler: async (request) => {
    const buf = Buffer.from(await request.arrayBuffer());
    return { body: buf, headers: { 'content-type': 'application/octet-stream' } };
  },
});

app.get('teapot', {
  handler: async () =>
    new HttpResponse({
      status: 418,
      body: 'short and stout',
      headers: { 'x-fixture': 'yes' },
      cookies: [{ name: 'flavour', value: 'earl-grey', httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 60 }],
    }),
});

app.get('nothing', { handler: async () => undefined });

app.get('boom', {
  handler: async () => {
    throw new Error('database password is hunter2');
  },
});

app.get('whoami', {
  handler: async (request) => {
    const user = request.user;
    return {
      jsonBody: user
        ? {
            type: user.type,
            id: user.id,
            username: user.username,
            idp: user.identityProvider,
            claims: user.claimsPrincipalData,
          }
        : { anonymous: true },
    };
  },
});

app.http('anyMethod', {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  authLevel: 'function',
  route: 'files/{*path}',
  handler: async (request) => ({ jsonBody: { path: request.params.path ?? null, method: request.method } }),
});
