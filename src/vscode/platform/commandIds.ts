// Command ids in one place (they must match package.json).
export const Commands = {
  signIn: 'awsIdc.signIn',
  signOut: 'awsIdc.signOut',
  /** Sign Out of one portal: the inline action of a portal node in the Accounts tree (hidden from the palette). */
  signOutPortal: 'awsIdc.signOutPortal',
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
  saveCliProfile: 'awsIdc.saveCliProfile',
  showActivity: 'awsIdc.showActivity',
  reviewLongTermKeys: 'awsIdc.reviewLongTermKeys',
  retireLongTermKey: 'awsIdc.retireLongTermKey',
  undoRetireLongTermKey: 'awsIdc.undoRetireLongTermKey',
  getStarted: 'awsIdc.getStarted',
  terminalIdentity: 'awsIdc.terminalIdentity',
  setRoleRegion: 'awsIdc.setRoleRegion',
} as const;

/** The extension's id as VS Code knows it: publisher.name. */
export const EXTENSION_ID = 'awsidc.aws-identity-center-sessions';

/** The walkthrough's id as VS Code knows it: publisher.name#id. */
export const WALKTHROUGH_ID = `${EXTENSION_ID}#gettingStarted`;
