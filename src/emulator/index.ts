/**
 * The Garmin Connect emulator (design.md §7). Other rooms' tests start it in-process:
 *   const emu = await startEmulator({ seed: 1, activities: 20 });
 */
export { startEmulator } from './emulator.js';
export type { EmulatorOptions, RunningEmulator, EmulatorStats, FaultKnobs } from './types.js';
export { DEFAULT_CONSUMER, DEFAULT_DI_CLIENT_IDS, DI_SERVICE_TICKET_GRANT } from './state.js';
export { DEMO_PASSWORD } from './accounts.js';
