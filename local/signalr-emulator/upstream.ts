/** Placeholder until the upstream webhook lands (reference §4). */
import type { UpstreamHooks } from './service';
import { noUpstream } from './service';

export interface UpstreamOptions {
  readonly settingsFile: string;
  readonly accessKey: string;
  readonly log: (line: string) => void;
}

export function startUpstream(_options: UpstreamOptions): UpstreamHooks & { close(): Promise<void> } {
  return { ...noUpstream, close: async () => undefined };
}
