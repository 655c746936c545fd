/** Where Garmin lives. Real: endpointsForDomain('garmin.com'). Emulator (plain mode): every base = the emulator URL. */
export interface GarminEndpoints {
  sso: string;
  connectApi: string;
  diAuth: string;
  /** 'garmin.com' — used in service URLs and identifiers, never contacted through it. */
  domain: string;
}

/**
 * The real hosts for a Garmin domain: https://sso.<d>, https://connectapi.<d>, https://diauth.<d>.
 * The domain may carry a port (`garmin.test:8443`), as garth allows, for a TLS emulator.
 */
export function endpointsForDomain(domain: string): GarminEndpoints {
  return {
    sso: `https://sso.${domain}`,
    connectApi: `https://connectapi.${domain}`,
    diAuth: `https://diauth.${domain}`,
    domain: domain.replace(/:\d+$/, ''),
  };
}

/**
 * One origin for every Garmin host (the emulator's plain mode). `domain` (default 'garmin.com')
 * is still used to build service URLs such as https://mobile.integration.garmin.com/gcm/android.
 */
export function endpointsForBaseUrl(baseUrl: string, domain = 'garmin.com'): GarminEndpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return { sso: base, connectApi: base, diAuth: base, domain };
}
