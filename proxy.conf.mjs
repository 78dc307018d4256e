// Dev-server proxy: the SPA calls same-origin /api, /.auth and /runtime; locally they live on the Functions host.
const target = `http://127.0.0.1:${process.env.FUNCTIONS_PORT ?? 7071}`;

export default {
  '/api': { target, changeOrigin: false, ws: true, secure: false },
  '/.auth': { target, changeOrigin: false, secure: false },
  '/runtime': { target, changeOrigin: false, secure: false },
};
