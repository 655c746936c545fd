import { AppError } from '../../core/index.js';
import type { FaultKnobs } from '../types.js';

export const DEFAULT_TOKEN_LIFETIME_SEC = 86_400;

export function defaultFaults(): FaultKnobs {
  return {
    latencyMs: 0,
    rateLimitRps: null,
    rateLimitStyle: 'json',
    retryAfterSec: 1,
    fault5xx: 0,
    faultReset: 0,
    faultTruncate: 0,
    tokenLifetimeSec: DEFAULT_TOKEN_LIFETIME_SEC,
    tokenNotActive: false,
    captchaRequired: false,
    loginRateLimited: false,
    corruptFitIds: [],
    rejectDiClientIds: [],
  };
}

const STYLES = ['json', 'cloudflare-html', 'plain'] as const;

function probability(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    throw new AppError('VALIDATION_FAILED', `Fault "${name}" must be a number from 0 to 1.`, { field: name });
  }
  return v;
}

function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new AppError('VALIDATION_FAILED', `Fault "${name}" must be a number ≥ 0.`, { field: name });
  }
  return v;
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new AppError('VALIDATION_FAILED', `Fault "${name}" must be true or false.`, { field: name });
  return v;
}

/**
 * Validates knobs that arrive as untrusted JSON (POST /__emulator/faults) or from flags and
 * returns the merged set. Unknown keys are refused so that a typo in a test does not silently
 * leave a fault off.
 */
export function mergeFaults(current: FaultKnobs, patch: unknown): FaultKnobs {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new AppError('VALIDATION_FAILED', 'Faults must be a JSON object.');
  }
  const next: FaultKnobs = { ...current, corruptFitIds: [...current.corruptFitIds], rejectDiClientIds: [...current.rejectDiClientIds] };
  for (const [key, v] of Object.entries(patch as Record<string, unknown>)) {
    switch (key) {
      case 'latencyMs':
      case 'retryAfterSec':
      case 'tokenLifetimeSec':
        next[key] = nonNegative(key, v);
        break;
      case 'rateLimitRps':
        next.rateLimitRps = v === null || v === 0 ? null : nonNegative(key, v);
        break;
      case 'rateLimitStyle':
        if (!STYLES.includes(v as (typeof STYLES)[number])) {
          throw new AppError('VALIDATION_FAILED', `Fault "rateLimitStyle" must be one of ${STYLES.join(', ')}.`, { field: key });
        }
        next.rateLimitStyle = v as FaultKnobs['rateLimitStyle'];
        break;
      case 'fault5xx':
      case 'faultReset':
      case 'faultTruncate':
        next[key] = probability(key, v);
        break;
      case 'tokenNotActive':
      case 'captchaRequired':
      case 'loginRateLimited':
        next[key] = bool(key, v);
        break;
      case 'corruptFitIds':
        if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x))) {
          throw new AppError('VALIDATION_FAILED', 'Fault "corruptFitIds" must be an array of activity ids.', { field: key });
        }
        next.corruptFitIds = [...(v as number[])];
        break;
      case 'rejectDiClientIds':
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) {
          throw new AppError('VALIDATION_FAILED', 'Fault "rejectDiClientIds" must be an array of client ids.', { field: key });
        }
        next.rejectDiClientIds = [...(v as string[])];
        break;
      default:
        throw new AppError('VALIDATION_FAILED', `Unknown fault "${key}".`, { field: key });
    }
  }
  return next;
}
