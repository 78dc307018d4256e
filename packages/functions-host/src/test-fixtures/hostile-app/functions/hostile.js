// Bindings built from request data, as an app might write them carelessly: the host must keep the
// caller's text a value (table filters) and inside the configured container (blob paths).
const { app, input, output } = require('@azure/functions');

// A string literal in the filter: the value is quoted, so quotes inside it must stay data.
const byTeam = input.table({
  tableName: '%PEOPLE%',
  filter: "PartitionKey eq '{query.pk}'",
  connection: 'AzureWebJobsStorage',
});
app.get('byTeam', {
  route: 'people/by-team',
  extraInputs: [byTeam],
  handler: async (request, context) => ({ jsonBody: context.extraInputs.get(byTeam) }),
});

// A number in the filter: no quotes, so only a number (or true/false) is acceptable.
const olderThan = input.table({
  tableName: '%PEOPLE%',
  filter: 'Age gt {query.age}',
  connection: 'AzureWebJobsStorage',
});
app.get('olderThan', {
  route: 'people/older-than',
  extraInputs: [olderThan],
  handler: async (request, context) => ({ jsonBody: context.extraInputs.get(olderThan) }),
});

// Blob input and output named by the query string.
const note = input.storageBlob({ path: '%NOTES%/{query.name}', connection: 'AzureWebJobsStorage' });
app.get('readNote', {
  route: 'notes',
  extraInputs: [note],
  handler: async (request, context) => {
    const content = context.extraInputs.get(note);
    return content ? { body: content.toString('utf8') } : { status: 404, jsonBody: { error: 'no such note' } };
  },
});

const newNote = output.storageBlob({ path: '%NOTES%/{query.name}', connection: 'AzureWebJobsStorage' });
app.post('saveNote', {
  route: 'notes',
  extraOutputs: [newNote],
  handler: async (request, context) => {
    context.extraOutputs.set(newNote, await request.text());
    return { status: 201 };
  },
});

// A blob trigger whose name part flows into an output path: `x/...txt` makes {name} `x/..`.
const copied = output.storageBlob({ path: '%NOTES%/{name}/copy', connection: 'AzureWebJobsStorage' });
const ran = [];
app.storageBlob('onDrop', {
  path: '%DROPS%/{name}.txt',
  connection: 'AzureWebJobsStorage',
  extraOutputs: [copied],
  handler: async (blob, context) => {
    ran.push(context.triggerMetadata.name);
    context.extraOutputs.set(copied, blob);
  },
});
app.get('ran', { handler: async () => ({ jsonBody: ran }) });
