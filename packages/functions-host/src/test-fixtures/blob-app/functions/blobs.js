// Blob fixtures, written as Microsoft's v4 samples write them. Container names come from app
// settings (%...%) so each test run uses its own containers in the shared Azurite.
const { app, input, output } = require('@azure/functions');

const seen = { uploads: [], failing: [] };

const notes = input.storageBlob({ path: '%UPLOADS%/{name}.note', connection: 'AzureWebJobsStorage' });
const processed = output.storageBlob({ path: '%PROCESSED%/{name}-{DateTime}.out', connection: 'AzureWebJobsStorage' });
const latest = output.storageBlob({ path: '%PROCESSED%/latest/{name}', connection: 'AzureWebJobsStorage' });

app.storageBlob('onUpload', {
  path: '%UPLOADS%/{name}.txt',
  connection: 'AzureWebJobsStorage',
  extraInputs: [notes],
  extraOutputs: [processed, latest],
  handler: async (blob, context) => {
    const note = context.extraInputs.get(notes);
    seen.uploads.push({
      isBuffer: Buffer.isBuffer(blob),
      text: blob.toString('utf8'),
      triggerMetadata: context.triggerMetadata,
      note:
        note === undefined || note === null ? null : { isBuffer: Buffer.isBuffer(note), text: note.toString('utf8') },
    });
    context.extraOutputs.set(latest, { name: context.triggerMetadata.name, length: blob.length });
    context.extraOutputs.set(processed, blob.toString('utf8').toUpperCase());
  },
});

app.storageBlob('failing', {
  path: '%BAD%/{name}',
  connection: 'AzureWebJobsStorage',
  handler: async (blob, context) => {
    seen.failing.push(context.triggerMetadata.name);
    throw new Error('blob failure detail');
  },
});

// HTTP with blob input and output from the route parameter.
const source = input.storageBlob({ path: '%UPLOADS%/{file}', connection: 'AzureWebJobsStorage' });
const copy = output.storageBlob({ path: '%COPIES%/{file}', connection: 'AzureWebJobsStorage' });
app.http('copy', {
  methods: ['POST'],
  route: 'copy/{file}',
  extraInputs: [source],
  extraOutputs: [copy],
  handler: async (request, context) => {
    const content = context.extraInputs.get(source);
    if (!content) return { status: 404, jsonBody: { error: 'no such blob' } };
    context.extraOutputs.set(copy, content);
    return { jsonBody: { bytes: content.length } };
  },
});

app.get('seen', { handler: async () => ({ jsonBody: seen }) });
