const { app } = require('@azure/functions');

const handler = async (request, context) => ({ jsonBody: { fn: context.functionName } });

app.http('open', { methods: ['GET'], authLevel: 'anonymous', handler });
app.http('keyed', { methods: ['GET', 'POST'], authLevel: 'function', handler });
app.http('otherKeyed', { methods: ['GET'], authLevel: 'function', handler });
app.http('adminOnly', { methods: ['GET'], authLevel: 'admin', handler });
