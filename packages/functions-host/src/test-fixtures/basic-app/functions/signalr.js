// SignalR binding fixtures: negotiate (connection info), output binding, upstream triggers.
const { app, input, output, trigger } = require('@azure/functions');

const connectionInfo = input.generic({
  type: 'signalRConnectionInfo',
  name: 'connectionInfo',
  hubName: 'Chat',
  connectionStringSetting: 'AzureSignalRConnectionString',
  userId: '{headers.x-ms-client-principal-id}',
});

const anonymousInfo = input.generic({
  type: 'signalRConnectionInfo',
  name: 'connectionInfo',
  hubName: 'chat',
  userId: '{query.uid}',
});

const noUserInfo = input.generic({ type: 'signalRConnectionInfo', name: 'connectionInfo', hubName: 'chat' });

const signalROut = output.generic({
  type: 'signalR',
  name: 'signalR',
  hubName: 'Chat',
  connectionStringSetting: 'AzureSignalRConnectionString',
});

app.http('negotiate', {
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  extraInputs: [connectionInfo],
  handler: async (_request, context) => ({ jsonBody: context.extraInputs.get(connectionInfo) }),
});

app.post('negotiateByQuery', {
  extraInputs: [anonymousInfo],
  handler: async (_request, context) => ({ jsonBody: context.extraInputs.get(anonymousInfo) }),
});

app.post('negotiateAnonymous', {
  extraInputs: [noUserInfo],
  handler: async (_request, context) => ({ jsonBody: context.extraInputs.get(noUserInfo) }),
});

// Sends whatever actions the request body lists, so tests drive the output binding directly.
app.post('actions', {
  extraOutputs: [signalROut],
  handler: async (request, context) => {
    context.extraOutputs.set(signalROut, await request.json());
    return { status: 202, jsonBody: { queued: true } };
  },
});

app.generic('echoMessage', {
  trigger: trigger.generic({
    type: 'signalRTrigger',
    name: 'invocation',
    hubName: 'chat',
    category: 'messages',
    event: 'echo',
    connectionStringSetting: 'AzureSignalRConnectionString',
  }),
  extraOutputs: [signalROut],
  handler: async (invocation, context) => {
    context.extraOutputs.set(signalROut, {
      target: 'echoed',
      arguments: invocation.Arguments,
      connectionId: invocation.ConnectionId,
    });
    return {
      echoed: invocation.Arguments,
      from: invocation.UserId,
      hub: invocation.Hub,
      query: invocation.Query,
      claims: invocation.Claims,
    };
  },
});

app.generic('failMessage', {
  trigger: trigger.generic({
    type: 'signalRTrigger',
    name: 'invocation',
    hubName: 'chat',
    category: 'messages',
    event: 'fail',
  }),
  handler: async () => {
    throw new Error('private failure detail');
  },
});

const connectedEvents = [];
app.generic('onConnected', {
  trigger: trigger.generic({
    type: 'signalRTrigger',
    name: 'invocation',
    hubName: 'chat',
    category: 'connections',
    event: 'connected',
  }),
  handler: async (invocation) => {
    connectedEvents.push(invocation);
  },
});

// Lets a test read what the connected trigger saw, through an ordinary HTTP function.
app.get('connectedEvents', { handler: async () => ({ jsonBody: connectedEvents }) });
