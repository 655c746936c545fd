/**
 * The header sets the real apps send (garmin-protocol.md §2, §4, §5.1). Cloudflare in front of
 * Garmin judges clients by them, so they are copied faithfully and kept in one place.
 */

/** Mobile Safari, the UA garth 0.8 sends on every SSO page and JSON call. */
export const SSO_BROWSER_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

/** "SSO page headers": also on the JSON POSTs, because Cloudflare answered 429 when the UA changed between page and POST. */
export function ssoPageHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'User-Agent': SSO_BROWSER_UA,
    Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Accept-Language': 'en-US,en;q=0.9',
    'Sec-Fetch-Mode': 'navigate',
    'Sec-Fetch-Dest': 'document',
    ...extra,
  };
}

/** The native Connect Mobile (Android) header set used for connectapi and diauth (python-garminconnect ≥0.3). */
export function nativeHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'User-Agent': 'GCM-Android-5.23',
    'X-Garmin-User-Agent': 'com.garmin.android.apps.connectmobile/5.23; ; Google/sdk_gphone64_arm64/google; Android/33; Dalvik/2.1.0',
    'X-Garmin-Paired-App-Version': '10861',
    'X-Garmin-Client-Platform': 'Android',
    'X-App-Ver': '10861',
    'X-Lang': 'en',
    'X-GCExperience': 'GC5',
    'Accept-Language': 'en-US,en;q=0.9',
    ...extra,
  };
}

/** User-Agent of the OAuth1 preauthorized/exchange calls (garth's OAuth1 session). */
export const OAUTH1_UA = 'com.garmin.android.apps.connectmobile';
