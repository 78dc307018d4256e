// Lifecycle hook fixtures: the host must run them around invocations like the worker does.
const { app } = require('@azure/functions');

let appStarted = false;
app.hook.appStart(() => {
  appStarted = true;
});

app.hook.preInvocation((context) => {
  if (context.invocationContext.functionName !== 'hooked') return;
  const original = context.functionHandler;
  context.functionHandler = async (...args) => {
    const response = await original(...args);
    return { ...response, headers: { 'x-pre-hook': 'wrapped' } };
  };
});

app.hook.postInvocation((context) => {
  if (context.invocationContext.functionName !== 'hooked') return;
  context.result = { ...context.result, jsonBody: { ...context.result.jsonBody, post: true } };
});

app.get('hooked', { handler: async () => ({ jsonBody: { appStarted } }) });
