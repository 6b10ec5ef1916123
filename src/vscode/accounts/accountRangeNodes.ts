// The Accounts tree's range nodes (core/accounts/accountRanges.ts) for each list it shows (the
// root's, or each portal's), one node object per range (VS Code finds elements to refresh by
// identity), and what changed since the last redraw: a range whose accounts changed redraws alone;
// the list redraws when its ranges came, went or split.
import { partitionAccounts, sameAccounts, type AccountRange, type RangeStart } from '../../core/accounts/accountRanges';
import type { Account } from '../../core/common/model';
import type { TreeNode } from './treeItems';

export type RangeNode = Extract<TreeNode, { kind: 'range' }>;

/** A list as the tree shows it: accounts kept at its top (pinned, active), then flat accounts or ranges. */
export interface ShownList {
  top: Account[];
  rest: Account[] | RangeNode[];
  ranged: boolean;
}

interface ListState {
  ordered: readonly Account[];
  topKey: string;
  shown: ShownList;
  starts: RangeStart[];
}

export class AccountRangeNodes {
  private readonly lists = new Map<string, ListState>();
  private readonly nodes = new Map<string, RangeNode>();
  private readonly dirtyRanges = new Set<RangeNode>();
  private readonly dirtyLists = new Set<string>();

  constructor(private readonly compare: (a: RangeStart, b: RangeStart) => number) {}

  /** `list`'s accounts (`ordered`, in display order) as shown; `atTop` ones stay out of the ranges. */
  shown(list: string, portal: string | undefined, ordered: readonly Account[], atTop: (a: Account) => boolean): ShownList {
    const before = this.lists.get(list);
    const top = ordered.filter(atTop);
    const topKey = top.map((a) => a.accountId).join(' ');
    if (before && before.ordered === ordered && before.topKey === topKey) return before.shown;
    const rest = top.length ? ordered.filter((a) => !atTop(a)) : [...ordered];
    const ranges = partitionAccounts(rest, before?.starts ?? [], this.compare);
    // A flat list keeps the tree's own order (pinned first, then by name): only ranges lift the active role's account.
    const shown: ShownList = ranges
      ? { top, rest: ranges.map((r) => this.node(list, portal, r)), ranged: true }
      : { top: [], rest: [...ordered], ranged: false };
    this.noteChanges(list, before, shown, ranges);
    this.lists.set(list, { ordered, topKey, shown, starts: ranges?.map((r) => r.start) ?? [] });
    return shown;
  }

  /** What changed since the last call: whole lists to redraw, and ranges to redraw alone. */
  takeChanges(): { lists: Set<string>; ranges: RangeNode[] } {
    const lists = new Set(this.dirtyLists);
    const ranges = [...this.dirtyRanges].filter((r) => !lists.has(r.list));
    this.dirtyLists.clear();
    this.dirtyRanges.clear();
    return { lists, ranges };
  }

  /** The lists shown are gone (sign-out, portals changed): start again. */
  clear(): void {
    this.lists.clear();
    this.nodes.clear();
    this.dirtyLists.clear();
    this.dirtyRanges.clear();
  }

  private noteChanges(list: string, before: ListState | undefined, shown: ShownList, ranges: AccountRange[] | undefined): void {
    const startsNow = ranges?.map((r) => r.start.accountId).join(' ') ?? '';
    const startsBefore = before?.starts.map((s) => s.accountId).join(' ') ?? '';
    if (!before || !ranges || !before.shown.ranged || startsNow !== startsBefore || before.shown.top.length !== shown.top.length) {
      this.dirtyLists.add(list);
      return;
    }
    const previous = before.shown.rest as RangeNode[];
    (shown.rest as RangeNode[]).forEach((node, i) => {
      if (previous[i] !== node || !sameAccounts(node.previousAccounts, node.accounts)) this.dirtyRanges.add(node);
    });
  }

  private node(list: string, portal: string | undefined, range: AccountRange): RangeNode {
    const id = `range:${list}|${range.start.accountId}`;
    let node = this.nodes.get(id);
    if (!node) {
      node = { kind: 'range', id, list, accounts: range.accounts, previousAccounts: [], ...(portal ? { portal } : {}) };
      this.nodes.set(id, node);
    }
    node.previousAccounts = node.accounts;
    node.accounts = range.accounts;
    return node;
  }
}
