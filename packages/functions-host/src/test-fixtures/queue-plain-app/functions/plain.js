// A queue trigger that forwards each message to another queue, under messageEncoding "none".
const { app, output } = require('@azure/functions');

const seen = [];
const forward = output.storageQueue({ queueName: '%PLAIN_OUT%', connection: 'AzureWebJobsStorage' });

app.storageQueue('plain', {
  queueName: '%PLAIN_IN%',
  connection: 'AzureWebJobsStorage',
  extraOutputs: [forward],
  handler: async (queueItem, context) => {
    seen.push({ item: queueItem, type: typeof queueItem });
    context.extraOutputs.set(forward, queueItem);
  },
});

app.get('seen', { handler: async () => ({ jsonBody: seen }) });
