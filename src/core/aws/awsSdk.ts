// The only module that imports the AWS SDK. The bundle puts it in dist/awsSdk.js and the
// extension loads it on first use (see scripts/build.mjs), so activation stays cheap. IAM and
// CloudTrail, rarely called, are in awsSdkReview.ts.
export { SSOOIDCClient, RegisterClientCommand, StartDeviceAuthorizationCommand, CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
export { SSOClient, ListAccountsCommand, ListAccountRolesCommand, GetRoleCredentialsCommand, LogoutCommand } from '@aws-sdk/client-sso';
export type { CreateTokenCommandInput } from '@aws-sdk/client-sso-oidc';
export { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
export { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
export { NodeHttpHandler } from '@smithy/node-http-handler';
export { createRequestHandler } from './networkHandler';
