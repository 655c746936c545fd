import type { ActivityModel } from './activity.model.js';
import { Prng, deriveSeed } from './prng.js';

/**
 * Pieces shared by the activity list item and the activity detail DTO: Garmin's type objects,
 * training-effect labels and the sport-specific extra numbers (drawn from the activity's own
 * stream so the list and the detail agree).
 */
export type Json = Record<string, unknown>;

export const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function activityType(a: ActivityModel): Json {
  const s = a.sport;
  return { typeId: s.typeId, typeKey: s.typeKey, parentTypeId: s.parentTypeId, isHidden: false, restricted: false, trimmable: true };
}

export const EVENT_TYPE = { typeId: 9, typeKey: 'uncategorized', sortOrder: 10 } as const;
export const PRIVACY = { typeId: 2, typeKey: 'private' } as const;

export function teLabel(te: number): string {
  if (te < 2) return 'RECOVERY';
  if (te < 3) return 'AEROBIC_BASE';
  if (te < 4) return 'TEMPO';
  return 'THRESHOLD';
}

export function teMessage(te: number): string {
  if (te < 2) return 'MINOR_AEROBIC_BENEFIT_1';
  if (te < 3) return 'MAINTAINING_AEROBIC_BASE_7';
  if (te < 4) return 'IMPROVING_AEROBIC_BASE_8';
  return 'HIGHLY_IMPROVING_AEROBIC_ENDURANCE_11';
}

export function anaerobicMessage(te: number): string {
  return te < 1 ? 'NO_ANAEROBIC_BENEFIT_0' : 'MINOR_ANAEROBIC_BENEFIT_1';
}

/** Sport-specific extras: the same numbers appear in the list item and the detail summary. */
export function extras(a: ActivityModel) {
  const p = new Prng(deriveSeed(a.fitSeed, 'dto'));
  return {
    power: Math.round(p.range(170, 280)),
    maxPower: Math.round(p.range(380, 650)),
    normPower: Math.round(p.range(190, 300)),
    temperature: Math.round(p.range(12, 26)),
    stride: p.range(80, 125),
    gct: p.range(230, 300),
    vo: p.range(7, 10),
    vr: p.range(7, 10),
    gas: a.avgSpeed * p.range(1.0, 1.1),
    vSpeed: p.range(0.3, 1.2),
    bodyBattery: -Math.round(p.range(2, 20)),
    water: Math.round(a.calories * p.range(0.8, 1.1)),
    feel: p.pick([0, 25, 50, 75, 100]),
    rpe: p.int(1, 9) * 10,
    compliance: p.int(60, 100),
    staminaStart: p.int(85, 100),
    staminaEnd: p.int(40, 84),
    impact: Math.round(p.range(1000, 9000)),
    sets: p.int(8, 20),
    reps: p.int(60, 200),
    swolf: p.int(32, 48),
    strokes: Math.round(a.distanceM / p.range(1.6, 2.4)),
  };
}
