import type { EmuResponse } from '../http/types.js';
import type { EmuAccount } from '../accounts.js';

/**
 * The JSON envelopes of the mobile/portal SSO API, field for field as recorded
 * (garmin-recordings/sso-and-client/test_login_*.yaml). Types without a recording are marked.
 */
interface ResponseStatus {
  type: string;
  message: string;
  httpStatus: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function loginEnvelope(status: ResponseStatus, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serviceURL: null,
    serviceTicketId: null,
    responseStatus: status,
    responseReason: null,
    customerMfaInfo: null,
    consentTypeList: null,
    captchaAlreadyPassed: false,
    samlResponse: null,
    authType: null,
    ...extra,
  };
}

/** Recorded: 200 SUCCESSFUL with a ticket (login without MFA). */
export function loginSuccessful(service: string, ticket: string): EmuResponse {
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: loginEnvelope(
      { type: 'SUCCESSFUL', message: '', httpStatus: 'OK' },
      { serviceURL: service, serviceTicketId: ticket, authType: 'CAS' },
    ),
  };
}

/** Recorded: 200 MFA_REQUIRED with customerMfaInfo, consentTypeList []. */
export function loginMfaRequired(account: EmuAccount): EmuResponse {
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: loginEnvelope(
      { type: 'MFA_REQUIRED', message: '', httpStatus: 'OK' },
      {
        customerMfaInfo: {
          email: account.maskedEmail,
          phoneNumber: null,
          mfaLastMethodUsed: 'email',
          defaultMfaMethod: null,
          mfaUISetting: { allowPhoneOption: true, allowAddEmailAddress: false, chooseDifferentWayShown: false },
        },
        consentTypeList: [],
      },
    ),
  };
}

/** Recorded: 401 INVALID_USERNAME_PASSWORD. */
export function loginInvalidCredentials(): EmuResponse {
  return {
    status: 401,
    headers: JSON_HEADERS,
    body: loginEnvelope({
      type: 'INVALID_USERNAME_PASSWORD',
      message: 'generalLoginInvalidUsernameOrPassword',
      httpStatus: 'UNAUTHORIZED',
    }),
  };
}

/**
 * Not recorded (garmin-protocol.md §7): a locked account. Chosen as a 401 like bad credentials
 * (it is a credential problem: a client must stop, not retry) with the mobile bundle's message key.
 */
export function loginAccountLocked(): EmuResponse {
  return {
    status: 401,
    headers: JSON_HEADERS,
    body: loginEnvelope({ type: 'ACCOUNT_LOCKED', message: 'generalLoginMobileAccountLocked', httpStatus: 'UNAUTHORIZED' }),
  };
}

/** Documented: a non-SUCCESSFUL type on a 2xx (garth raises "SSO error: CAPTCHA_REQUIRED: …"). */
export function loginCaptchaRequired(): EmuResponse {
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: loginEnvelope({ type: 'CAPTCHA_REQUIRED', message: '', httpStatus: 'OK' }),
  };
}

/** Not recorded: a request without the body or query the SSO needs. */
export function ssoBadRequest(message: string): EmuResponse {
  return {
    status: 400,
    headers: JSON_HEADERS,
    body: loginEnvelope({ type: 'INVALID_REQUEST', message, httpStatus: 'BAD_REQUEST' }),
  };
}

/** Recorded: 200 SUCCESSFUL after verifyCode (a shorter envelope than login's). */
export function mfaSuccessful(service: string, ticket: string): EmuResponse {
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: {
      serviceURL: service,
      serviceTicketId: ticket,
      responseStatus: { type: 'SUCCESSFUL', message: '', httpStatus: 'OK' },
      responseReason: null,
      samlResponse: null,
      authType: 'CAS',
    },
  };
}

export type MfaFailure = 'invalid' | 'expired' | 'max_attempts' | 'no_session';

/**
 * Not recorded (garmin-protocol.md §2: "MFA_CODE_INVALID" reported by garth's commit #215 on a
 * 2xx). Wrong, expired and exhausted codes are 200 with a non-SUCCESSFUL type and the bundle's
 * message keys; a verifyCode without the login's SESSION cookie is 401 "session expired".
 */
export function mfaFailed(kind: MfaFailure): EmuResponse {
  const status: Record<MfaFailure, [number, ResponseStatus]> = {
    invalid: [200, { type: 'MFA_CODE_INVALID', message: 'codeEntryInvalid', httpStatus: 'OK' }],
    expired: [200, { type: 'MFA_CODE_EXPIRED', message: 'codeEntryExpired', httpStatus: 'OK' }],
    max_attempts: [200, { type: 'MFA_CODE_MAX_ATTEMPTS', message: 'codeEntryMaxLimit', httpStatus: 'OK' }],
    no_session: [401, { type: 'SESSION_EXPIRED', message: 'generalLoginYourSessionHasExpired', httpStatus: 'UNAUTHORIZED' }],
  };
  const [code, rs] = status[kind];
  return {
    status: code,
    headers: JSON_HEADERS,
    body: { serviceURL: null, serviceTicketId: null, responseStatus: rs, responseReason: null, samlResponse: null, authType: null },
  };
}
