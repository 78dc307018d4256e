// Five fields: fine for Unix cron, refused by the Functions host, which parses NCRONTAB with seconds.
const { app } = require('@azure/functions');

app.timer('everyFiveMinutes', { schedule: '*/5 * * * *', handler: async () => undefined });
