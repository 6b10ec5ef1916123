// The profile both awsConfigWrite and awsConfigSave tests save (no tests here).
import type { CliProfileOptions } from '../../src/core/awsFiles/awsConfigWrite';

export const profileOptions: CliProfileOptions = {
  profileName: 'dev',
  sessionName: 'corp',
  startUrl: 'https://d-123.awsapps.com/start',
  region: 'us-east-1',
  accountId: '111122223333',
  roleName: 'ReadOnly',
  profileRegion: 'eu-west-1',
};
