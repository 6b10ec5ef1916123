// Loads the AWS SDK on first use. The bundle keeps it in dist/awsSdk.js (see scripts/build.mjs),
// so activation never parses it; when it is needed, it is compiled off the extension host's thread
// (codeCache.ts). Every module that needs an SDK class or the INI loader comes here.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type * as Sdk from './awsSdk';
import type * as ReviewSdk from './awsSdkReview';
import { requireWithCodeCache } from './codeCache';

export type AwsSdk = typeof Sdk;
export type AwsReviewSdk = typeof ReviewSdk;

const BUNDLE_BYTES = 100_000;

let sdkPromise: Promise<AwsSdk> | undefined;
/** Sign-in, the portal, STS, the config-file loader and the request handler. */
export function loadSdk(): Promise<AwsSdk> {
  return (sdkPromise ??= loadBundle('awsSdk.js', () => import('./awsSdk')));
}

let reviewPromise: Promise<AwsReviewSdk> | undefined;
/** IAM and CloudTrail (awsSdkReview.ts), with a request handler of their bundle's own. */
export function loadReviewSdk(): Promise<AwsReviewSdk> {
  return (reviewPromise ??= loadBundle('awsSdkReview.js', () => import('./awsSdkReview')));
}

/** Beside the bundle, each SDK file is one big file (compiled off-thread); tsc's output only re-exports packages. */
function loadBundle<T>(name: string, unbundled: () => Promise<T>): Promise<T> {
  const file = path.join(__dirname, name);
  return isBundle(file) ? requireWithCodeCache<T>(file).catch(unbundled) : unbundled();
}

function isBundle(file: string): boolean {
  return existsSync(file) && statSync(file).size > BUNDLE_BYTES;
}
