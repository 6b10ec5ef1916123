// IAM and CloudTrail: only Retire Long-Term Key (when a key was last used) and Review CloudTrail call
// them. A bundle of their own (dist/awsSdkReview.js, scripts/build.mjs), so the first SDK load of a
// sign-in or listing does not run their large models' top level on the extension host's thread
// (measured with a code cache: ~95 ms with them, ~50 ms without).
export { IAMClient, GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
export { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
export { createRequestHandler } from './networkHandler';
