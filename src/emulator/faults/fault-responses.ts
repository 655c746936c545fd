import type { EmuResponse } from '../http/types.js';
import type { FaultKnobs } from '../types.js';

/**
 * The bodies of Garmin's infrastructure errors. Cloudflare's block page is what scripted
 * clients saw in 2026 (garmin-protocol.md §7); the JSON form is what python-garminconnect checks
 * for (`{"error": {"status-code": "429"}}`).
 */
export function cloudflareBlockPage(hostname: string, rayId: string): string {
  return `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<html class="no-js" lang="en-US">
<head>
<title>Access denied | ${hostname} used Cloudflare to restrict access</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="robots" content="noindex, nofollow" />
</head>
<body>
  <div id="cf-wrapper">
    <div id="cf-error-details" class="p-0">
      <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-15 antialiased">
        <h1 class="inline-block md:block mr-2 md:mb-2 font-light text-60 md:text-3xl text-black-dark leading-tight">
          <span data-translate="error">Error</span>
          <span>1015</span>
        </h1>
        <span class="inline-block md:block heading-ray-id font-mono text-15 lg:text-sm lg:leading-relaxed">Ray ID: ${rayId} &bull;</span>
        <h2 class="text-gray-600 leading-1.3 text-3xl lg:text-2xl font-light">You are being rate limited</h2>
      </header>
      <section class="w-240 lg:w-full mx-auto mb-8 lg:px-8">
        <div id="what-happened-section" class="w-1/2 md:w-full">
          <h2 class="text-3xl leading-tight font-normal mb-4 text-black-dark antialiased" data-translate="what_happened">What happened?</h2>
          <p>The owner of this website (${hostname}) has banned you temporarily from accessing this website.</p>
        </div>
      </section>
      <div class="cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300">
        <p class="text-13">
          <span class="cf-footer-item sm:block sm:mb-1">Cloudflare Ray ID: <strong class="font-semibold">${rayId}</strong></span>
          <span class="cf-footer-separator sm:hidden">&bull;</span>
          <span class="cf-footer-item sm:block sm:mb-1">Performance &amp; security by Cloudflare</span>
        </p>
      </div>
    </div>
  </div>
</body>
</html>
`;
}

/** 429 in the configured style, always with Retry-After. */
export function rateLimitedResponse(faults: FaultKnobs, hostname: string, rayId: string): EmuResponse {
  const retry = String(Math.max(0, Math.ceil(faults.retryAfterSec)));
  const common = { 'retry-after': retry, server: 'cloudflare', 'cf-ray': rayId };
  switch (faults.rateLimitStyle) {
    case 'cloudflare-html':
      return {
        status: 429,
        headers: { ...common, 'content-type': 'text/html; charset=UTF-8' },
        body: cloudflareBlockPage(hostname, rayId),
      };
    case 'plain':
      return { status: 429, headers: { ...common, 'content-type': 'text/plain; charset=UTF-8' }, body: 'Too Many Requests' };
    default:
      return { status: 429, headers: { ...common, 'content-type': 'application/json' }, body: { error: { 'status-code': '429' } } };
  }
}

/** A gateway error as Cloudflare renders it when the origin misbehaves. */
export function serverErrorResponse(status: 500 | 502 | 503, rayId: string): EmuResponse {
  const title = status === 502 ? 'Bad gateway' : status === 503 ? 'Service Unavailable' : 'Internal Server Error';
  return {
    status,
    headers: { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': rayId },
    body: `<!DOCTYPE html>\n<html><head><title>${title} | Error ${status}</title></head><body><h1>${title}</h1><p>Error code ${status}</p><p>Cloudflare Ray ID: ${rayId}</p></body></html>\n`,
  };
}
