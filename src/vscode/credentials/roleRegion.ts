// Set Role Region: the region a role's terminals, tasks, debug sessions and console use. Run from the
// tree's role menu, from a Switch Role item's button, or the palette (then a role is picked). The
// role must be one the catalog lists (commandGuards.ts); the region is kept by core's RoleRegions.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../../core/accounts/activeRole';
import type { RoleRegions } from '../../core/accounts/roleRegions';
import { checkRegion } from '../../core/common/validate';

/** Regions offered first; any other region name can be typed. */
const COMMON_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

interface RegionItem extends vscode.QuickPickItem {
  /** undefined: forget the role's own region (the default applies). */
  region: string | undefined;
}

export interface RoleRegionCommandOptions {
  regions: RoleRegions;
  /** The region every role gets when it has none of its own (awsIdc.terminal.region, else the sign-in's). */
  defaultRegion: () => string;
}

/** Asks for the role's region and keeps it; false when the user backed out. */
export async function setRoleRegion(o: RoleRegionCommandOptions, role: ActiveRoleChoice): Promise<boolean> {
  await o.regions.reloadProfiles(); // ~/.aws/config may have changed since the start (Save Role as AWS CLI Profile)
  const own = o.regions.sourceOf(role);
  const pick = vscode.window.createQuickPick<RegionItem>();
  pick.title = vscode.l10n.t({ message: 'Region for {0}/{1}', args: [role.accountName, role.roleName], comment: ['{0}: account name; {1}: IAM role name.'] });
  pick.placeholder = vscode.l10n.t('Pick or type a region name, e.g. eu-central-1');
  const fallback: RegionItem = {
    label: vscode.l10n.t('Default'),
    description: o.defaultRegion() || vscode.l10n.t('none'),
    detail: vscode.l10n.t('Use the awsIdc.terminal.region setting, else the IAM Identity Center region.'),
    region: undefined,
  };
  const listed: RegionItem[] = COMMON_REGIONS.map((r) => ({
    label: r,
    description:
      own?.region === r
        ? own.from === 'profile'
          ? vscode.l10n.t({ message: 'from AWS CLI profile {0}', args: [own.profile ?? ''], comment: ['{0}: a profile name in ~/.aws/config.'] })
          : vscode.l10n.t('current')
        : undefined,
    region: r,
  }));
  const typedItem = (value: string): RegionItem[] =>
    value && !COMMON_REGIONS.includes(value) && checkRegion(value).ok ? [{ label: value, region: value, alwaysShow: true }] : [];
  const render = (): void => {
    pick.items = [...typedItem(pick.value.trim()), fallback, ...listed];
  };
  pick.onDidChangeValue(render);
  render();
  if (own) pick.activeItems = pick.items.filter((i) => i.region === own.region);
  try {
    const chosen = await new Promise<RegionItem | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    if (!chosen) {
      // Typed text that is no region name matches no item: say why nothing was set.
      const typed = pick.value.trim();
      if (typed && !checkRegion(typed).ok) void vscode.window.showErrorMessage(checkRegion(typed).error ?? '');
      return false;
    }
    await o.regions.set(role, chosen.region);
    return true;
  } finally {
    pick.dispose();
  }
}
