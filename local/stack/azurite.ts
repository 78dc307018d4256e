/** One of Azurite's services as its own process on 127.0.0.1. */
import { join } from 'node:path';

import { ManagedProcess } from './process';

export type AzuriteService = 'table' | 'blob' | 'queue';

/** Stopped with SIGINT, the only signal on which Azurite saves its data. */
export function azuriteServiceProcess(
  service: AzuriteService,
  root: string,
  port: number,
  location: string,
  log: (line: string) => void,
  onUnexpectedExit?: (name: string, code: number | null) => void,
): ManagedProcess {
  return new ManagedProcess(
    {
      name: service === 'table' ? 'azurite' : `azurite-${service}`,
      command: process.execPath,
      args: [
        join(root, `node_modules/azurite/dist/src/${service}/main.js`),
        `--${service}Host`,
        '127.0.0.1',
        `--${service}Port`,
        String(port),
        '--location',
        location,
        '--disableTelemetry',
        '--skipApiVersionCheck',
        '--silent',
      ],
      port,
      stopSignal: 'SIGINT',
    },
    log,
    onUnexpectedExit,
  );
}
