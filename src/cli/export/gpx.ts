import { Decoder, Stream } from '@garmin/fitsdk';
import { XMLBuilder } from 'fast-xml-parser';

const GPX_NS = 'http://www.topografix.com/GPX/1/1';
const TPX_NS = 'http://www.garmin.com/xmlschemas/TrackPointExtension/v1';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** FIT positions are semicircles: 2^31 of them make 180 degrees. */
const DEGREES_PER_SEMICIRCLE = 180 / 2 ** 31;

/** One FIT `record` message with a position, as the GPX track needs it. */
export interface TrackPoint {
  time: Date | null;
  lat: number;
  lon: number;
  elevation: number | null;
  heartRate: number | null;
  cadence: number | null;
}

interface RecordMesgLike {
  timestamp?: Date;
  positionLat?: number;
  positionLong?: number;
  enhancedAltitude?: number;
  altitude?: number;
  heartRate?: number;
  cadence?: number;
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The FIT's `record` messages that carry a position, decoded with @garmin/fitsdk. */
export function trackPoints(fit: Uint8Array): TrackPoint[] {
  const decoder = new Decoder(Stream.fromBuffer(Buffer.from(fit.buffer, fit.byteOffset, fit.byteLength)));
  const { messages } = decoder.read({
    expandComponents: true,
    applyScaleAndOffset: true,
    convertDateTimesToDates: true,
    mergeHeartRates: false,
  });
  const records = (messages as { recordMesgs?: RecordMesgLike[] }).recordMesgs ?? [];
  const points: TrackPoint[] = [];
  for (const r of records) {
    const lat = finite(r.positionLat);
    const lon = finite(r.positionLong);
    if (lat === null || lon === null) continue;
    points.push({
      time: r.timestamp instanceof Date && !Number.isNaN(r.timestamp.getTime()) ? r.timestamp : null,
      lat: lat * DEGREES_PER_SEMICIRCLE,
      lon: lon * DEGREES_PER_SEMICIRCLE,
      elevation: finite(r.enhancedAltitude) ?? finite(r.altitude),
      heartRate: finite(r.heartRate),
      cadence: finite(r.cadence),
    });
  }
  return points;
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  indentBy: ' ',
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * A GPX 1.1 document with one track (valid against the GPX 1.1 schema): time, position and
 * elevation per point, heart rate and cadence in Garmin's TrackPointExtension. Built with an XML
 * library (fast-xml-parser's builder), so names from Garmin are escaped by it.
 */
export function gpxDocument(points: readonly TrackPoint[], meta: { name: string | null; sport: string; startTime: string }): string {
  const trkpt = points.map((p) => {
    const ext: Record<string, string> = {};
    if (p.heartRate !== null) ext['gpxtpx:hr'] = String(Math.round(p.heartRate));
    if (p.cadence !== null) ext['gpxtpx:cad'] = String(Math.round(p.cadence));
    return {
      '@lat': p.lat.toFixed(7),
      '@lon': p.lon.toFixed(7),
      ...(p.elevation !== null ? { ele: p.elevation.toFixed(1) } : {}),
      ...(p.time ? { time: isoSeconds(p.time) } : {}),
      ...(Object.keys(ext).length > 0 ? { extensions: { 'gpxtpx:TrackPointExtension': ext } } : {}),
    };
  });
  const name = meta.name ? { name: meta.name } : {};
  const doc = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    gpx: {
      '@version': '1.1',
      '@creator': 'garminsync export',
      '@xmlns': GPX_NS,
      '@xmlns:gpxtpx': TPX_NS,
      '@xmlns:xsi': XSI_NS,
      '@xsi:schemaLocation': `${GPX_NS} http://www.topografix.com/GPX/1/1/gpx.xsd`,
      metadata: { ...name, time: isoSeconds(new Date(meta.startTime)) },
      trk: { ...name, type: meta.sport, trkseg: trkpt.length > 0 ? { trkpt } : '' },
    },
  };
  return builder.build(doc) as string;
}
