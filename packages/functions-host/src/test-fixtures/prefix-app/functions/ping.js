const { app } = require('@azure/functions');

app.get('ping', { handler: async () => ({ jsonBody: { pong: true } }) });
