// Loads the AWS SDK on first use. The bundle keeps it in dist/awsSdk.js (see scripts/build.mjs),
// so activation never parses it. Every module that needs an SDK class or the INI loader comes here.
import type * as Sdk from './awsSdk';

export type AwsSdk = typeof Sdk;

let sdkPromise: Promise<AwsSdk> | undefined;
export function loadSdk(): Promise<AwsSdk> {
  return (sdkPromise ??= import('./awsSdk'));
}
