import type { AccountIdentity } from './account.types.js';

/**
 * Owner fields repeated in many Garmin responses (activity list items, DTO user info).
 */
export const USER_ROLES: readonly string[] = [
  'SCOPE_ATP_READ',
  'SCOPE_ATP_WRITE',
  'SCOPE_COMMUNITY_COURSE_READ',
  'SCOPE_COMMUNITY_COURSE_WRITE',
  'SCOPE_CONNECT_READ',
  'SCOPE_CONNECT_WRITE',
  'SCOPE_DT_CLIENT_ANALYTICS_WRITE',
  'SCOPE_GARMINPAY_READ',
  'SCOPE_GARMINPAY_WRITE',
  'SCOPE_GCOFFER_READ',
  'SCOPE_GCOFFER_WRITE',
  'SCOPE_GHS_SAMD',
  'SCOPE_GHS_UPLOAD',
  'SCOPE_GOLF_API_READ',
  'SCOPE_GOLF_API_WRITE',
  'SCOPE_INSIGHTS_READ',
  'SCOPE_INSIGHTS_WRITE',
  'SCOPE_PRODUCT_SEARCH_READ',
  'ROLE_CONNECTUSER',
  'ROLE_FITNESS_USER',
  'ROLE_WELLNESS_USER',
  'ROLE_OUTDOOR_USER',
  'ROLE_CONNECT_2_USER',
  'ROLE_TACX_APP_USER',
];

export interface ProfileImages {
  profileImageUrlLarge: string;
  profileImageUrlMedium: string;
  profileImageUrlSmall: string;
}

export function profileImages(identity: AccountIdentity): ProfileImages {
  const base = 'https://s3.amazonaws.com/garmin-connect-prod/profile_images';
  const guid = identity.garminGUID;
  return {
    profileImageUrlLarge: `${base}/${guid}-large-${identity.profileId}.png`,
    profileImageUrlMedium: `${base}/${guid}-medium-${identity.profileId}.png`,
    profileImageUrlSmall: `${base}/${guid}-small-${identity.profileId}.png`,
  };
}
