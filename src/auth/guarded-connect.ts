import type { GarminConnectPort, GarminHealthPort } from './garmin.port.js';

/** Runs one call on the current client of a user (AuthGarminGateway's guard: reauth marking, stale-client retry). */
export type GuardedRun = <T>(call: (client: GarminConnectPort) => Promise<T>) => Promise<T>;

type Args<K extends keyof GarminConnectPort> = GarminConnectPort[K] extends (...a: infer A) => unknown ? A : never;
type HealthArgs<K extends keyof GarminHealthPort> = GarminHealthPort[K] extends (...a: infer A) => unknown ? A : never;

/**
 * An explicit decorator over every method of the Connect port (issue 11.4: was a Proxy over
 * whatever the object had): each method hands its call to `run`, which picks the user's current
 * client and turns a terminal refresh failure into "login required". A method added to the port
 * does not compile until it is added here.
 */
export class GuardedConnect implements GarminConnectPort {
  readonly health: GarminHealthPort;

  constructor(private readonly run: GuardedRun) {
    this.health = new GuardedHealth(run);
  }

  getSocialProfile(...a: Args<'getSocialProfile'>) {
    return this.run((c) => c.getSocialProfile(...a));
  }
  getUserSettings(...a: Args<'getUserSettings'>) {
    return this.run((c) => c.getUserSettings(...a));
  }
  listActivities(...a: Args<'listActivities'>) {
    return this.run((c) => c.listActivities(...a));
  }
  getActivity(...a: Args<'getActivity'>) {
    return this.run((c) => c.getActivity(...a));
  }
  downloadActivityFit(...a: Args<'downloadActivityFit'>) {
    return this.run((c) => c.downloadActivityFit(...a));
  }
  getDailySummary(...a: Args<'getDailySummary'>) {
    return this.run((c) => c.getDailySummary(...a));
  }
  getDailyHeartRate(...a: Args<'getDailyHeartRate'>) {
    return this.run((c) => c.getDailyHeartRate(...a));
  }
  getSleep(...a: Args<'getSleep'>) {
    return this.run((c) => c.getSleep(...a));
  }
  getStress(...a: Args<'getStress'>) {
    return this.run((c) => c.getStress(...a));
  }
  getHrv(...a: Args<'getHrv'>) {
    return this.run((c) => c.getHrv(...a));
  }
  getWeightRange(...a: Args<'getWeightRange'>) {
    return this.run((c) => c.getWeightRange(...a));
  }
  listWorkouts(...a: Args<'listWorkouts'>) {
    return this.run((c) => c.listWorkouts(...a));
  }
  getWorkout(...a: Args<'getWorkout'>) {
    return this.run((c) => c.getWorkout(...a));
  }
  getLastUsedDevice(...a: Args<'getLastUsedDevice'>) {
    return this.run((c) => c.getLastUsedDevice(...a));
  }
  downloadWorkoutFit(...a: Args<'downloadWorkoutFit'>) {
    return this.run((c) => c.downloadWorkoutFit(...a));
  }
}

/** The same decoration for the health methods (`client.health.*`). */
class GuardedHealth implements GarminHealthPort {
  constructor(private readonly run: GuardedRun) {}

  getBodyBatteryReports(...a: HealthArgs<'getBodyBatteryReports'>) {
    return this.run((c) => c.health.getBodyBatteryReports(...a));
  }
  getRespiration(...a: HealthArgs<'getRespiration'>) {
    return this.run((c) => c.health.getRespiration(...a));
  }
  getSpo2(...a: HealthArgs<'getSpo2'>) {
    return this.run((c) => c.health.getSpo2(...a));
  }
  getTrainingReadiness(...a: HealthArgs<'getTrainingReadiness'>) {
    return this.run((c) => c.health.getTrainingReadiness(...a));
  }
  getStepsChart(...a: HealthArgs<'getStepsChart'>) {
    return this.run((c) => c.health.getStepsChart(...a));
  }
  getWeightDateRange(...a: HealthArgs<'getWeightDateRange'>) {
    return this.run((c) => c.health.getWeightDateRange(...a));
  }
  getMaxMetrics(...a: HealthArgs<'getMaxMetrics'>) {
    return this.run((c) => c.health.getMaxMetrics(...a));
  }
  getActivityDetails(...a: HealthArgs<'getActivityDetails'>) {
    return this.run((c) => c.health.getActivityDetails(...a));
  }
  getFloors(...a: HealthArgs<'getFloors'>) {
    return this.run((c) => c.health.getFloors(...a));
  }
  getHydration(...a: HealthArgs<'getHydration'>) {
    return this.run((c) => c.health.getHydration(...a));
  }
  getIntensityMinutes(...a: HealthArgs<'getIntensityMinutes'>) {
    return this.run((c) => c.health.getIntensityMinutes(...a));
  }
  getTrainingStatus(...a: HealthArgs<'getTrainingStatus'>) {
    return this.run((c) => c.health.getTrainingStatus(...a));
  }
  getEnduranceScore(...a: HealthArgs<'getEnduranceScore'>) {
    return this.run((c) => c.health.getEnduranceScore(...a));
  }
  getHillScore(...a: HealthArgs<'getHillScore'>) {
    return this.run((c) => c.health.getHillScore(...a));
  }
  getFitnessAge(...a: HealthArgs<'getFitnessAge'>) {
    return this.run((c) => c.health.getFitnessAge(...a));
  }
  getRacePredictions(...a: HealthArgs<'getRacePredictions'>) {
    return this.run((c) => c.health.getRacePredictions(...a));
  }
  getBloodPressure(...a: HealthArgs<'getBloodPressure'>) {
    return this.run((c) => c.health.getBloodPressure(...a));
  }
  getWeeklySteps(...a: HealthArgs<'getWeeklySteps'>) {
    return this.run((c) => c.health.getWeeklySteps(...a));
  }
  getDailySteps(...a: HealthArgs<'getDailySteps'>) {
    return this.run((c) => c.health.getDailySteps(...a));
  }
}
