// Table fixtures, written as Microsoft's v4 samples write them. The table name comes from an app
// setting (%PEOPLE%) so each test run uses its own table in the shared Azurite.
const { app, input, output } = require('@azure/functions');

const onePerson = input.table({
  tableName: '%PEOPLE%',
  partitionKey: '{team}',
  rowKey: '{id}',
  connection: 'TableStorage',
});
app.get('person', {
  route: 'people/{team}/{id}',
  extraInputs: [onePerson],
  handler: async (request, context) => {
    const person = context.extraInputs.get(onePerson);
    return person ? { jsonBody: person } : { status: 404, jsonBody: { error: 'no such person' } };
  },
});

const adults = input.table({
  tableName: '%PEOPLE%',
  partitionKey: '{team}',
  filter: 'Age ge 18',
  take: 2,
  connection: 'TableStorage',
});
app.get('adults', {
  route: 'people/{team}',
  extraInputs: [adults],
  handler: async (request, context) => ({ jsonBody: context.extraInputs.get(adults) }),
});

const everyone = input.table({ tableName: '%PEOPLE%', connection: 'TableStorage' });
app.get('everyone', {
  route: 'everyone',
  extraInputs: [everyone],
  handler: async (request, context) => ({ jsonBody: context.extraInputs.get(everyone) }),
});

// Entities from the request body; a row key from the binding when the body has none.
const peopleOut = output.table({ tableName: '%PEOPLE%', rowKey: '{rand-guid}', connection: 'TableStorage' });
app.post('addPeople', {
  route: 'people',
  extraOutputs: [peopleOut],
  handler: async (request, context) => {
    context.extraOutputs.set(peopleOut, await request.json());
    return { status: 201 };
  },
});
