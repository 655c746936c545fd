/**
 * The DI OAuth client ids a Garmin login tries, in order (garmin-protocol.md §5.1, as
 * python-garminconnect ≥0.3 tries them). Garmin accepts only some and retires them about
 * quarterly, so this is data: the default of the service's `--garmin-di-client-ids` and of the
 * Garmin client's `diClientIds`. Declared once, here, because both the server's settings and the
 * garmin room read it.
 */
export const DEFAULT_DI_CLIENT_IDS = [
  'GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2',
  'GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4',
  'GARMIN_CONNECT_MOBILE_ANDROID_DI',
  'GARMIN_CONNECT_MOBILE_IOS_DI',
] as const;
