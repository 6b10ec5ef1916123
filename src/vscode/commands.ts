// Command and context-key ids in one place (they must match package.json).
export const Commands = {
  signIn: 'awsIdc.signIn',
  signOut: 'awsIdc.signOut',
  switchRole: 'awsIdc.switchRole',
  refresh: 'awsIdc.refresh',
  openTerminal: 'awsIdc.openTerminal',
  copyEnv: 'awsIdc.copyEnv',
  openConsole: 'awsIdc.openConsole',
  showLog: 'awsIdc.showLog',
  setActiveRole: 'awsIdc.setActiveRole',
  copyAccountId: 'awsIdc.copyAccountId',
  pinAccount: 'awsIdc.pinAccount',
  unpinAccount: 'awsIdc.unpinAccount',
} as const;

export const ContextKeys = {
  state: 'awsIdc.state',
} as const;
