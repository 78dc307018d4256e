// A Service Bus queue output: real in Azure, not implemented by the local host, so startup must fail.
const { app, output } = require('@azure/functions');

const queueOut = output.serviceBusQueue({ name: 'queueOut', queueName: 'work', connection: 'ServiceBusConnection' });

app.post('enqueue', {
  extraOutputs: [queueOut],
  handler: async (request, context) => {
    context.extraOutputs.set(queueOut, await request.text());
    return { status: 202 };
  },
});
