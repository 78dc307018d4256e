// Storage queue fixtures, written as Microsoft's v4 samples write them. Queue names come from app
// settings (%...%) so each test run uses its own queues in the shared Azurite.
const { app, output } = require('@azure/functions');

const seen = { work: [], flaky: [], relay: [] };

app.storageQueue('work', {
  queueName: '%WORK_QUEUE%',
  // A named connection: the app setting QueueStorage.
  connection: 'QueueStorage',
  handler: async (queueItem, context) => {
    seen.work.push({ item: queueItem, type: typeof queueItem, triggerMetadata: context.triggerMetadata });
  },
});

// Fails until the message's dequeue count reaches its `succeedOn` (never, without one).
app.storageQueue('flaky', {
  queueName: '%FLAKY_QUEUE%',
  handler: async (queueItem, context) => {
    const { dequeueCount } = context.triggerMetadata;
    seen.flaky.push({ item: queueItem, dequeueCount });
    if (!(queueItem.succeedOn <= dequeueCount)) throw new Error(`flaky failure detail ${dequeueCount}`);
  },
});

// Queue in, queue out through the return value; the output queue name uses the message's own property.
const relayOut = output.storageQueue({ queueName: '%RELAY_OUT_QUEUE%-{target}', connection: 'Fallback' });
app.storageQueue('relay', {
  queueName: '%RELAY_IN_QUEUE%',
  connection: 'AzureWebJobsStorage',
  return: relayOut,
  handler: async (queueItem) => {
    seen.relay.push(queueItem);
    return [{ relayed: queueItem.text }, 'plain text out'];
  },
});

// HTTP in, queue out through extraOutputs: what the request says is what is sent.
const enqueueOut = output.storageQueue({ queueName: '%WORK_QUEUE%', connection: 'QueueStorage' });
app.post('enqueue', {
  extraOutputs: [enqueueOut],
  handler: async (request, context) => {
    const body = await request.json();
    context.extraOutputs.set(enqueueOut, body.messages);
    return { status: 202 };
  },
});

app.get('seen', { handler: async () => ({ jsonBody: seen }) });
