import type { Clock } from '../../core/index.js';
import type { EmuRandom } from '../random.js';

/** CAS service tickets are redeemable for about two minutes (garmin-protocol.md §2). */
export const TICKET_TTL_MS = 120_000;
/** Used ticket ids remembered (to say "used" rather than "unknown"); older ones are forgotten. */
const MAX_REMEMBERED = 50_000;

export interface ServiceTicket {
  id: string;
  service: string;
  accountId: string;
  issuedAt: number;
  /** The login went through MFA (preauthorized then returns an mfa_token). */
  viaMfa: boolean;
  /** Issued by the legacy HTML widget (…-cas). */
  widget: boolean;
}

export type RedeemFailure = 'unknown' | 'used' | 'expired' | 'service_mismatch';

/**
 * Service tickets: bound to the service URL they were issued for, single-use, short-lived.
 * A failed redemption for a service mismatch still burns the ticket, as CAS does.
 */
export class TicketStore {
  private readonly live = new Map<string, ServiceTicket>();
  private readonly used = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly random: EmuRandom,
  ) {}

  issue(accountId: string, service: string, opts: { viaMfa: boolean; widget: boolean }): ServiceTicket {
    const suffix = opts.widget ? 'cas' : 'sso';
    const id = `ST-${this.random.digits(7)}-${this.random.alnum(20)}-${suffix}`;
    const ticket: ServiceTicket = { id, service, accountId, issuedAt: this.clock.now(), ...opts };
    this.live.set(id, ticket);
    // Unredeemed tickets die after TICKET_TTL_MS anyway; drop the oldest beyond a bound.
    if (this.live.size > MAX_REMEMBERED) this.live.delete(this.live.keys().next().value!);
    return ticket;
  }

  redeem(id: string, service: string): { ok: true; ticket: ServiceTicket } | { ok: false; reason: RedeemFailure } {
    const ticket = this.live.get(id);
    if (!ticket) return { ok: false, reason: this.used.has(id) ? 'used' : 'unknown' };
    this.live.delete(id);
    this.used.add(id);
    if (this.used.size > MAX_REMEMBERED) this.used.delete(this.used.values().next().value!);
    if (this.clock.now() - ticket.issuedAt > TICKET_TTL_MS) return { ok: false, reason: 'expired' };
    if (ticket.service !== service) return { ok: false, reason: 'service_mismatch' };
    return { ok: true, ticket };
  }
}
