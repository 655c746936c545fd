/**
 * What @garmin/fitsdk's `Decoder.read` (components and sub-fields not expanded, heart rates not
 * merged: how the archive importer called it) makes of one data message, for fit-inspect.ts: the
 * raw value it gives a field, and the messages on which it throws and so ends the decode (the
 * importer's decision on a file depended on what it had read by then). Written from the SDK's
 * decoder and stream (21.217): the same `===` checks against the same invalid values, the same
 * last-non-null-wins rule per field number, the same Date conversion. Its developer-field
 * descriptions are not modelled (a description naming an unknown base type makes the SDK throw
 * at the first developer field using it; the walk reads on).
 */
import { FIT_RECORD } from './fit-structure.js';

export type Raw = number | bigint | string | null;

const FIT_EPOCH_MS = 631_065_600_000;
const STRING = 0x07;
const BYTE = 0x0d;
const FIRST_64_BIT = 0x0e;
const FLOAT32 = 0x08;
const FLOAT64 = 0x09;
const MESG_FIELD_DESCRIPTION = 206;
const MESG_DEVELOPER_DATA_ID = 207;
/** developer_data_index, which the SDK reads from these two messages without checking it is there. */
const DEV_INDEX_FIELD: Record<number, number> = { [MESG_FIELD_DESCRIPTION]: 0, [MESG_DEVELOPER_DATA_ID]: 3 };

/**
 * Size and invalid value per base type 0x00–0x10 as the SDK has them: its 64-bit literals are
 * Numbers (2 ** 64, 2 ** 63), which its `===` checks never find equal to a BigInt element.
 */
const BASE_TYPES: readonly { size: number; invalid: number }[] = [
  { size: 1, invalid: 0xff }, // enum
  { size: 1, invalid: 0x7f },
  { size: 1, invalid: 0xff },
  { size: 2, invalid: 0x7fff },
  { size: 2, invalid: 0xffff },
  { size: 4, invalid: 0x7fffffff },
  { size: 4, invalid: 0xffffffff },
  { size: 1, invalid: 0x00 }, // string
  { size: 4, invalid: 0xffffffff }, // float32
  { size: 8, invalid: 2 ** 64 }, // float64
  { size: 1, invalid: 0x00 },
  { size: 2, invalid: 0x0000 },
  { size: 4, invalid: 0x00000000 },
  { size: 1, invalid: 0xff }, // byte
  { size: 8, invalid: 2 ** 63 }, // sint64
  { size: 8, invalid: 2 ** 64 },
  { size: 8, invalid: 0x0000000000000000 }, // uint64z
];
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Per profile field: array or not, dateTime or not, and for an accumulated field the fields whose components feed it. */
interface FieldInfo {
  array: boolean;
  dateTime: boolean;
  fedBy: readonly number[] | undefined;
  feeds: boolean;
}
type ProfileField = { num: number; type: string; array: boolean; isAccumulated: boolean; components: string[] };
interface SdkTables {
  /** Per message number, per field number: what the decode rules below need of the profile field. */
  profile: (FieldInfo | undefined)[][];
  /** FIT profile type `file`: the names the SDK gives (a plain object, looked up as the SDK looks it up). */
  fileTypeNames: Record<string, string>;
}

/**
 * The tables, built from the SDK's profile when {@link loadSdkTables} first runs. The SDK is
 * imported there, not at module load: only the archive importer needs it, and initializing its
 * profile at start-up cost every service ~2.7 MiB of heap for its whole life and ~9 MiB of
 * start-up peak (bench row 6, bench/findings.md).
 */
let TABLES: SdkTables | undefined;
let loading: Promise<void> | undefined;

/** Loads @garmin/fitsdk's profile once; the functions below may be called after it resolved. */
export function loadSdkTables(): Promise<void> {
  loading ??= import('@garmin/fitsdk').then(({ Profile }) => {
    TABLES = buildTables(Profile as unknown as { messages: unknown; types: { file: unknown } });
  });
  return loading;
}

function tables(): SdkTables {
  if (!TABLES) throw new Error('fit-sdk-values: loadSdkTables() was not awaited');
  return TABLES;
}

function buildTables(Profile: { messages: unknown; types: { file: unknown } }): SdkTables {
  const PROFILE: (FieldInfo | undefined)[][] = [];
  for (const [num, mesg] of Object.entries(Profile.messages as Record<string, { fields: Record<string, ProfileField> }>)) {
    const fields = Object.values(mesg.fields);
    const feeding = (target: ProfileField) =>
      fields.filter((f) => f.components.some((c) => mesg.fields[c]?.num === target.num)).map((f) => f.num);
    const infos: (FieldInfo | undefined)[] = [];
    for (const f of fields)
      infos[f.num] = { array: f.array, dateTime: f.type === 'dateTime', fedBy: f.isAccumulated ? feeding(f) : undefined, feeds: false };
    for (const f of fields) for (const source of infos[f.num]!.fedBy ?? []) infos[source]!.feeds = true;
    PROFILE[Number(num)] = infos;
  }
  return { profile: PROFILE, fileTypeNames: Profile.types.file as Record<string, string> };
}

function single(view: DataView, at: number, baseType: number, le: boolean): number | bigint {
  switch (baseType) {
    case 0x01:
      return view.getInt8(at);
    case 0x03:
      return view.getInt16(at, le);
    case 0x04:
    case 0x0b:
      return view.getUint16(at, le);
    case 0x05:
      return view.getInt32(at, le);
    case 0x06:
    case 0x0c:
      return view.getUint32(at, le);
    case FLOAT32:
      return view.getFloat32(at, le);
    case FLOAT64:
      return view.getFloat64(at, le);
    case 0x0e:
      return view.getBigInt64(at, le);
    case 0x0f:
    case 0x10:
      return view.getBigUint64(at, le);
    default:
      return view.getUint8(at);
  }
}

/**
 * The raw value the SDK's stream gives a field (null: absent, as the SDK leaves an invalid value
 * out). For an array field, the first non-invalid element stands for the array (only whether it
 * is null matters for the rules below: no dateTime field is an array).
 */
export function rawValue(bytes: Uint8Array, view: DataView, at: number, size: number, baseType: number, le: boolean, array = false): Raw {
  const type = BASE_TYPES[baseType]!;
  if (size % type.size !== 0) return null;
  if (baseType === STRING) {
    const strings = utf8
      .decode(bytes.subarray(at, at + size))
      .replace(/\uFFFD/g, '')
      .split('\0');
    while (strings[strings.length - 1] === '') strings.pop();
    return strings[0] ?? null;
  }
  const first = single(view, at, baseType, le);
  if (size === type.size || (baseType !== BYTE && !array)) return first === type.invalid ? null : first;
  // Several elements: null only when every one is invalid; a non-array field is then its first.
  for (let p = at; p < at + size; p += type.size) {
    const v = single(view, p, baseType, le);
    if (v !== type.invalid) return array ? v : first;
  }
  return null;
}

/**
 * Whether a data message of this definition can make the SDK throw: a 64-bit value in a dateTime
 * field (its Date conversion mixes BigInt and numbers), an accumulated field after a field whose
 * components feed it (its accumulation reads a property the message does not have), or a
 * developer_data_id / field_description message (read without checking that its index is there).
 * Decided once per definition, so the common definition costs no per-message check.
 */
export function mayThrow(bytes: Uint8Array, global: number, fieldsAt: number, fieldCount: number): boolean {
  if (global === MESG_FIELD_DESCRIPTION || global === MESG_DEVELOPER_DATA_ID) return true;
  const infos = tables().profile[global];
  if (!infos) return false;
  let feeds = false;
  let accumulated = false;
  for (let i = 0, q = fieldsAt; i < fieldCount; i++, q += 3) {
    const info = infos[bytes[q]!];
    if (!info) continue;
    if (info.dateTime && (bytes[q + 2]! & FIT_RECORD.BASE_TYPE_MASK) >= FIRST_64_BIT) return true;
    feeds ||= info.feeds;
    accumulated ||= info.fedBy !== undefined;
  }
  return feeds && accumulated;
}

/** For a definition {@link mayThrow} flagged: whether the SDK throws on this data message (body at `at`). */
export function sdkThrows(
  bytes: Uint8Array,
  view: DataView,
  global: number,
  le: boolean,
  fieldsAt: number,
  fieldCount: number,
  at: number,
): boolean {
  const infos = tables().profile[global] ?? [];
  const values = new Map<number, Raw>();
  for (let i = 0, q = fieldsAt; i < fieldCount; i++, q += 3) {
    const num = bytes[q]!;
    const size = bytes[q + 1]!;
    const info = infos[num];
    if (info) {
      const raw = rawValue(bytes, view, at, size, bytes[q + 2]! & FIT_RECORD.BASE_TYPE_MASK, le, info.array);
      if (raw !== null) {
        if (info.fedBy?.some((source) => values.has(source))) return true;
        values.set(num, raw);
      }
    }
    at += size;
  }
  const devIndexField = DEV_INDEX_FIELD[global];
  if (devIndexField !== undefined && !values.has(devIndexField)) return true;
  for (const [num, raw] of values) if (typeof raw === 'bigint' && infos[num]!.dateTime) return true;
  return false;
}

/** The SDK's value of a `file` field: the profile's name for the raw value, else the raw value. */
export const fileTypeOf = (raw: Raw): string | number | bigint | undefined =>
  raw === null ? undefined : (tables().fileTypeNames[String(raw)] ?? raw);

/** Epoch ms of a dateTime raw value as the SDK's Date gives it (NaN where that Date is invalid). */
export const dateTimeMs = (raw: Raw): number | undefined =>
  raw === null ? undefined : new Date(Number(raw) * 1000 + FIT_EPOCH_MS).getTime();
