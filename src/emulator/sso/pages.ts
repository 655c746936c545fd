/**
 * HTML of the SSO pages. Clients ignore the bodies of the JSON-era pages (only cookies matter),
 * so these carry the recognisable parts of Garmin's pages: titles, the bootstrap object with a
 * few i18n messages, the widget's _csrf input and the inline MFA variables.
 */
const MESSAGES = {
  casLoginViewPageTitle: 'GARMIN Authentication Application',
  loginEnterMfaCodePageTitle: 'Enter MFA code for login',
  casEmbedSuccessPageTitle: 'Success',
  generalLoginInvalidUsernameOrPassword: 'Invalid sign in. (Passwords are case sensitive.)',
  generalLoginAccountLocked: 'Your account has been locked. Please use the "Forgot Password?" link to request a temporary password.',
  generalLoginMobileAccountLocked: 'Your account has been locked. Please reset your password.',
  generalValidationMaxLogins: 'Maximum number of logins exceeded. Please try again later.',
  generalLoginYourSessionHasExpired: 'Your session has expired.',
  codeEntryInvalid: 'Invalid code. Please enter a valid code.',
  codeEntryExpired: 'The code you entered is expired. Please request a new code.',
  codeEntryMaxLimit:
    "You have reached the maximum amount of codes requested. Please use a code you've received or wait 24 hours and try again.",
  mfaEmail: 'Email',
  mfaTextMessage: 'Text message',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** GET /mobile/sso/en/sign-in and /portal/sso/en-US/sign-in: "Garmin SSO Portal". */
export function signInPage(clientId: string, redirectUrl: string): string {
  const registry = { clientId, registryOption: { redirectAccountUrl: redirectUrl, mfaRequired: false, thickClient: true } };
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
    <head>
        <title>Garmin SSO Portal</title>
        <meta charset="UTF-8">
        <meta name="description" content="Garmin SSO Portal">
        <script>
            var GarminAppBootstrap = {
                messages: ${JSON.stringify(MESSAGES)},
                clientRegistries: ${JSON.stringify(registry).replace(/\//g, '\\/')}
            };
        </script>
    </head>
    <body>
        <div id="app"></div>
    </body>
</html>
`;
}

/** GET /sso/embed: "GAuth Embedded Version". */
export function embedPage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><title>GAuth Embedded Version</title><meta charset="UTF-8"></head>
<body><div id="gauth-widget"></div></body></html>
`;
}

/** The widget's sign-in form; `failed` renders the 401 variant (status = "FAIL"). */
export function widgetSignInPage(csrf: string, opts: { failed?: boolean; message?: string } = {}): string {
  const status = opts.failed ? 'FAIL' : '';
  const result = opts.failed ? 'error' : '';
  return `<!DOCTYPE html>
<html lang="en"><head><title>GARMIN Authentication Application</title><meta charset="UTF-8">
<script type="text/javascript">
    var status = "${status}";
    var result = "${result}";
</script>
</head>
<body>
<form method="post" id="login-form" action="">
  ${opts.message ? `<div class="error">${escapeHtml(opts.message)}</div>` : ''}
  <input type="email" name="username" id="username" value="">
  <input type="password" name="password" id="password" value="">
  <input type="hidden" name="embed" value="true"/>
  <input type="hidden" name="_csrf" value="${csrf}" />
  <button type="submit" id="login-btn-signin">Sign In</button>
</form>
</body></html>
`;
}

/** The widget's MFA page with the inline variables python-garminconnect reads. */
export function widgetMfaPage(csrf: string, v: { customerGuid: string; codeSentTo: string; invalid?: boolean }): string {
  return `<!DOCTYPE html>
<html lang="en"><head><title>Enter MFA code for login</title><meta charset="UTF-8">
<script type="text/javascript">
    var customerGuid = "${v.customerGuid}";
    var mfaMethod = "email";
    var locale = "";
    var clientId = "";
    var codeSentTo = "${escapeHtml(v.codeSentTo)}";
</script>
</head>
<body>
<form method="post" id="mfa-form" action="">
  ${v.invalid ? `<div class="error">${MESSAGES.codeEntryInvalid}</div>` : ''}
  <input type="text" name="mfa-code" id="mfa-code" value="">
  <input type="hidden" name="embed" value="true"/>
  <input type="hidden" name="_csrf" value="${csrf}" />
  <input type="hidden" name="fromPage" value="setupEnterMfaCode"/>
  <button type="submit">Verify</button>
</form>
</body></html>
`;
}

/** The widget's final page: title "Success" and the ticket in the embed URL. */
export function widgetSuccessPage(embedUrl: string, ticket: string): string {
  const url = `${embedUrl}?ticket=${ticket}`;
  return `<!DOCTYPE html>
<html lang="en"><head><title>Success</title><meta charset="UTF-8">
<script type="text/javascript">
    var redirectAfterAccountLoginUrl = "${embedUrl}";
    var response_url = "${url}";
</script>
</head>
<body>
<div id="success"><a href="${url}">Continue</a></div>
</body></html>
`;
}
