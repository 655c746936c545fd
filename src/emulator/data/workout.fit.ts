import { Encoder } from '@garmin/fitsdk';
import { MESG, fitMesg, type FitMesg } from './fit-mesg.js';
import { isGroup, type WorkoutModel, type WorkoutStepModel } from './workouts.js';

/**
 * A workout as a FIT file (what /workout-service/workout/FIT/{id} returns, not zipped):
 * file_id (type workout), workout, then the flattened workout_step messages, repeat groups
 * closed by a "repeat until steps complete" step pointing back at the group's first step.
 */

const INTENSITY: Record<WorkoutStepModel['kind'], string> = {
  warmup: 'warmup',
  interval: 'active',
  recovery: 'recovery',
  cooldown: 'cooldown',
};

type StepMesg = FitMesg;

function executable(s: WorkoutStepModel, index: number): StepMesg {
  const m: Record<string, unknown> & { mesgNum: number } = {
    mesgNum: MESG.WORKOUT_STEP,
    messageIndex: index,
    intensity: INTENSITY[s.kind],
  };
  if (s.end === 'time') Object.assign(m, { durationType: 'time', durationValue: (s.endValue ?? 0) * 1000 });
  else if (s.end === 'distance') Object.assign(m, { durationType: 'distance', durationValue: (s.endValue ?? 0) * 100 });
  else m.durationType = 'open';
  if (s.hrZone !== null) Object.assign(m, { targetType: 'heartRate', targetValue: s.hrZone });
  else Object.assign(m, { targetType: 'open', targetValue: 0 });
  return fitMesg(m);
}

export function encodeWorkoutFit(w: WorkoutModel, serialNumber: number): Uint8Array {
  const steps: StepMesg[] = [];
  for (const item of w.items) {
    if (!isGroup(item)) {
      steps.push(executable(item, steps.length));
      continue;
    }
    const first = steps.length;
    for (const s of item.steps) steps.push(executable(s, steps.length));
    steps.push(
      fitMesg({
        mesgNum: MESG.WORKOUT_STEP,
        messageIndex: steps.length,
        durationType: 'repeatUntilStepsCmplt',
        durationValue: first,
        targetType: 'open',
        targetValue: item.repeat,
      }),
    );
  }
  const enc = new Encoder();
  enc.writeMesg(
    fitMesg({
      mesgNum: MESG.FILE_ID,
      type: 'workout',
      manufacturer: 'garmin',
      product: 65534,
      serialNumber,
      timeCreated: new Date(w.updatedMs),
    }),
  );
  enc.writeMesg(fitMesg({ mesgNum: MESG.WORKOUT, sport: w.sport.fitSport, numValidSteps: steps.length, wktName: w.name }));
  for (const s of steps) enc.writeMesg(s);
  return enc.close();
}
