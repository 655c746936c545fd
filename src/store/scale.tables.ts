/** Tables of migration 003_scale (state shared by the processes of a scaled-out deployment). */

/** One Garmin account's request budget: a token bucket plus the 429 pause, shared by all processes. */
export interface GarminRateBudgetsTable {
  /** Our user id (one Garmin account per user). */
  account_key: string;
  /** Tokens left after the last refill; negative = reservations waiting for the refill. */
  tokens: number;
  /** Epoch ms of the last refill. */
  refilled_at: number;
  /** Epoch ms until which no request may be sent (a Garmin 429); 0 = not paused. */
  paused_until: number;
}

export interface ScaleTables {
  garmin_rate_budgets: GarminRateBudgetsTable;
}
