// Each role's own region: set by the user (Set Role Region), else the `region` of an AWS CLI profile
// for the same role. Kept in globalState (the editor's own storage: no workspace can set it), keyed
// by the role's key, no secrets. regionForRole (common/region.ts) decides what a tool finally gets.
import { Emitter, type Disposable } from '../common/events';
import { roleKey, type RoleRef } from '../common/model';
import { STATE_KEYS } from '../common/storageKeys';
import type { StateStore } from '../common/stores';
import { checkRegion } from '../common/validate';
import { profileRegionOf, readSsoProfileRegions, type SsoProfileRegion } from '../awsFiles/profileRegions';

const KEY = STATE_KEYS.roleRegions;

export interface RoleRegion {
  region: string;
  /** `set`: chosen by the user; `profile`: from the named AWS CLI profile. */
  from: 'set' | 'profile';
  profile?: string;
}

export class RoleRegions implements Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private profiles: SsoProfileRegion[] = [];

  constructor(
    private readonly state: StateStore,
    private readonly readProfiles: () => Promise<SsoProfileRegion[]> = () => readSsoProfileRegions(),
  ) {}

  /** The role's own region, if it has one. */
  regionOf(role: RoleRef | undefined): string | undefined {
    return role && this.sourceOf(role)?.region;
  }

  sourceOf(role: RoleRef): RoleRegion | undefined {
    const own = this.stored()[roleKey(role)];
    if (typeof own === 'string' && checkRegion(own).ok) return { region: own, from: 'set' };
    const profile = profileRegionOf(this.profiles, role);
    return profile && { region: profile.region, from: 'profile', profile: profile.profile };
  }

  /** Sets (or, with undefined, forgets) the role's own region; an invalid name is refused by the caller's check. */
  async set(role: RoleRef, region: string | undefined): Promise<void> {
    const next = { ...this.stored() };
    if (region === undefined) delete next[roleKey(role)];
    else {
      if (!checkRegion(region).ok) throw new Error('not a region name');
      next[roleKey(role)] = region.trim();
    }
    await this.state.update(KEY, Object.keys(next).length ? next : undefined);
    this.changed.fire();
  }

  /** Reads the AWS CLI profiles again (at start, and when ~/.aws/config may have changed). */
  async reloadProfiles(): Promise<void> {
    const before = JSON.stringify(this.profiles);
    this.profiles = await this.readProfiles();
    if (JSON.stringify(this.profiles) !== before) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private stored(): Record<string, unknown> {
    const value = this.state.get<Record<string, unknown>>(KEY);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }
}
