/** The username as looked up: Unicode NFKC and trimmed, so that "agency " is not another user. */
export function usernameOf(typed: string): string {
  return typed.normalize('NFKC').trim();
}

/**
 * The login limit's counter key (#12.9): one per client address and username, the username also
 * lower-cased here (usernames differ by case at most in a Corsican FINESS: pui-2A…), so that
 * "Agency ", "AGENCY" and "agency" share one counter, on the API and the sign-in page alike.
 */
export function normaliseUsername(username: string): string {
  return usernameOf(username).toLowerCase();
}

export function loginCounterKey(address: string, username: string): string {
  return `${address}|${normaliseUsername(username)}`;
}
