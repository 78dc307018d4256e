// Timer trigger fixtures, written as Microsoft's v4 samples write them.
const { app } = require('@azure/functions');

const seen = { everySecond: [], startup: [], startupNoMonitor: [], constant: [], failing: [] };

function record(list) {
  return async (myTimer, context) => {
    list.push({ timer: myTimer, at: Date.now(), triggerMetadata: context.triggerMetadata ?? null });
  };
}

app.timer('everySecond', { schedule: '* * * * * *', handler: record(seen.everySecond) });

// Hourly with the monitor: only the startup run happens during a test.
app.timer('startup', { schedule: '0 0 * * * *', runOnStartup: true, useMonitor: true, handler: record(seen.startup) });

app.timer('startupNoMonitor', {
  schedule: '0 30 9 * * 1-5',
  runOnStartup: true,
  useMonitor: false,
  handler: record(seen.startupNoMonitor),
});

app.timer('constant', { schedule: '00:00:01', handler: record(seen.constant) });

app.timer('failing', {
  schedule: '*/1 * * * * *',
  handler: async (myTimer) => {
    seen.failing.push(myTimer);
    throw new Error('timer failure detail');
  },
});

app.get('seen', { handler: async () => ({ jsonBody: seen }) });
