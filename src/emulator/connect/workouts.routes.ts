import type { EmuRoute } from '../http/types.js';
import { idParam, intParam, notFound, ok, withAccount, type Lookup } from './responses.js';

/** Workouts: the list (JSON array), one definition, and its FIT file (raw bytes, not zipped). */
const bearer = { method: 'GET', host: 'connectapi', auth: 'bearer' } as const;

export function workoutRoutes(lookup: Lookup): EmuRoute[] {
  return [
    {
      ...bearer,
      name: 'connect.workouts',
      pattern: '/workout-service/workouts',
      handler: withAccount(lookup, (data, req) => ok(data.workouts(intParam(req, 'start', 0), intParam(req, 'limit', 100)))),
    },
    {
      ...bearer,
      name: 'connect.workout',
      pattern: '/workout-service/workout/:id',
      handler: withAccount(lookup, (data, req) => {
        const w = data.workout(idParam(req));
        return w ? ok(w) : notFound();
      }),
    },
    {
      ...bearer,
      name: 'connect.workoutFit',
      pattern: '/workout-service/workout/FIT/:id',
      handler: withAccount(lookup, (data, req) => {
        const id = idParam(req);
        const fit = data.workoutFitBytes(id);
        if (!fit) return notFound();
        return {
          status: 200,
          headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${id}_workout.fit"` },
          body: Buffer.from(fit.buffer, fit.byteOffset, fit.byteLength),
        };
      }),
    },
  ];
}
