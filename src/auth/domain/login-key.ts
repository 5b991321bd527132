/**
 * The login limit's counter key (#12.9): one per client address and username, the username
 * normalised as the lookup normalises it (Unicode NFKC, trimmed, lower case), so that "Agency ",
 * "AGENCY" and "agency" share one counter, on the API and the sign-in page alike.
 */
export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

export function loginCounterKey(address: string, username: string): string {
  return `${address}|${normaliseUsername(username)}`;
}
