/**
 * `httpTrigger` and the `http` output: the host's HTTP server serves the trigger and writes the
 * response the function set (http-trigger.ts), so neither has a listener or a delivery here.
 */
import type { BindingType } from './binding';

export const httpTrigger: BindingType = { name: 'httpTrigger', directions: ['trigger'] };

export const httpOutput: BindingType = { name: 'http', directions: ['out'] };
