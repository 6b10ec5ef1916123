// Following ListAccounts/ListAccountRoles pages, with an end guaranteed whatever the server sends:
// a page token seen before (the list would loop), more pages or more items than a real listing can
// have. The caller keeps what was listed so far; the error says why the listing stopped.
import { IdcError } from '../common/errors';
import type { Page } from '../aws/identityCenter';
import * as l10n from '@vscode/l10n';

const COMMENT = ['{0}: what was being listed, e.g. "Listing accounts"; {2}: "accounts" or "roles"'];

export interface PageLimits {
  /** Pages followed at most (a real listing fills pages of up to 100). */
  maxPages: number;
  /** Items accepted at most, over all pages. */
  maxItems: number;
}

/**
 * Far above real listings (organisations count their accounts in the thousands, an account's
 * permission sets in the tens), far below what fills memory: 20,000 accounts are about 200 full
 * pages, 10 s at the catalog's 20 calls/s; twice that many pages allows for half-full ones.
 */
export const ACCOUNT_LIMITS: PageLimits = { maxPages: 400, maxItems: 20_000 };
export const ROLE_LIMITS: PageLimits = { maxPages: 100, maxItems: 1_000 };

export interface PagedListing {
  /** "Listing accounts", "Listing roles of 111122223333". */
  step: string;
  /** "accounts", "roles". */
  noun: string;
  limits: PageLimits;
}

export interface PagingResult {
  pages: number;
  items: number;
  /** Set when the listing was cut short; what was accepted before stays. */
  stopped?: IdcError;
}

/**
 * Fetches pages until the server says there are no more, or a guard stops it. `accept` sees each
 * page's items (cut to what the item limit leaves room for). Failures of `fetchPage` propagate.
 */
export async function followPages<T>(
  listing: PagedListing,
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
  accept: (items: T[], page: number) => void,
): Promise<PagingResult> {
  const { maxPages, maxItems } = listing.limits;
  const seen = new Set<string>();
  let items = 0;
  let pages = 0;
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    pages++;
    const room = maxItems - items;
    const kept = page.items.length > room ? page.items.slice(0, room) : page.items;
    items += kept.length;
    accept(kept, pages);
    nextToken = page.nextToken || undefined;
    if (kept.length < page.items.length) {
      const message = l10n.t({
        message: '{0} stopped at {1} {2}, far more than a real list has; IAM Identity Center kept sending more. The first {1} are shown.',
        args: [listing.step, maxItems, listing.noun],
        comment: COMMENT,
      });
      return { pages, items, stopped: new IdcError('service', message, 'TooManyItems') };
    }
    if (nextToken === undefined) break;
    if (seen.has(nextToken)) {
      const message = l10n.t({
        message:
          '{0} stopped: IAM Identity Center sent the same page token twice, so the list would never end. The {1} {2} listed so far are shown; refresh to try again.',
        args: [listing.step, items, listing.noun],
        comment: COMMENT,
      });
      return { pages, items, stopped: new IdcError('service', message, 'RepeatedPageToken') };
    }
    if (pages >= maxPages) {
      const message = l10n.t({
        message:
          '{0} stopped after {3} pages: IAM Identity Center kept sending more, far beyond a real list. The {1} {2} listed so far are shown; refresh to try again.',
        args: [listing.step, items, listing.noun, maxPages],
        comment: COMMENT,
      });
      return { pages, items, stopped: new IdcError('service', message, 'TooManyPages') };
    }
    seen.add(nextToken);
  } while (nextToken);
  return { pages, items };
}
