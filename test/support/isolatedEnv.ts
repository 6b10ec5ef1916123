// The variables a test clears so nothing from the machine running it (a proxy, an AWS profile or
// config) changes where the real SDK clients send their calls: each test adds only what it sets.
export const NO_MACHINE_NETWORK_OR_PROFILE = {
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  ALL_PROXY: undefined,
  all_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: '/nonexistent/awsidc-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/awsidc-credentials',
};
