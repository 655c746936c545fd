import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads the recorded Garmin traffic (VCR YAML cassettes in the shared garmin-recordings folder)
 * without a YAML dependency: the response bodies we compare against are single-quoted YAML
 * scalars holding JSON, which only need quote unescaping and line folding.
 *
 * The recordings live outside the repository (reference material, not fixtures); tests that
 * need them run when the folder is found ($GARMIN_RECORDINGS, or shared/garmin-recordings beside
 * the repository, where the team's checkouts and CI keep it).
 */
export interface RecordedInteraction {
  method: string;
  uri: string;
  status: number;
  body: string;
}

export function recordingsDir(): string | undefined {
  const repo = fileURLToPath(new URL('../../../../', import.meta.url));
  const candidates = [
    process.env.GARMIN_RECORDINGS,
    resolve(repo, '../shared/garmin-recordings'),
    resolve(process.cwd(), '../shared/garmin-recordings'),
  ];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(join(c, 'data')));
}

/** Single-quoted YAML scalar starting at `from` (just after the opening quote). */
function readSingleQuoted(text: string, from: number): string {
  let raw = '';
  let i = from;
  for (;;) {
    const ch = text[i];
    if (ch === undefined) throw new Error('unterminated quoted scalar');
    if (ch === "'") {
      if (text[i + 1] === "'") {
        raw += "'";
        i += 2;
        continue;
      }
      break;
    }
    raw += ch;
    i++;
  }
  // Folding: a line break between non-empty lines is a space; each empty line is a newline.
  const lines = raw.split('\n');
  let out = '';
  let breaks = 0;
  lines.forEach((line, n) => {
    const t = n === 0 ? line.replace(/[ \t]+$/, '') : line.trim();
    if (n > 0 && t === '' && n < lines.length - 1) {
      breaks++;
      return;
    }
    if (n > 0) out += breaks > 0 ? '\n'.repeat(breaks) : ' ';
    breaks = 0;
    out += t;
  });
  return out;
}

export function readCassette(path: string): RecordedInteraction[] {
  const text = readFileSync(path, 'utf8');
  const out: RecordedInteraction[] = [];
  const re = /^ {4}method: (\w+)\n {4}uri: (\S+)\n {2}response:\n/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const after = re.lastIndex;
    const next = text.indexOf('\n- request:', after);
    const block = text.slice(after, next === -1 ? undefined : next);
    const status = /status:\n\s+code: (\d+)/.exec(block);
    const quoted = block.indexOf("string: '");
    const body = quoted === -1 ? '' : readSingleQuoted(block, quoted + "string: '".length);
    out.push({ method: m[1] ?? '', uri: m[2] ?? '', status: Number(status?.[1] ?? 0), body });
  }
  return out;
}

/** The JSON body of the first recorded response whose URI contains `uriPart`. */
export function recordedJson(dir: string, cassette: string, uriPart: string): unknown {
  const hit = readCassette(join(dir, cassette)).find((i) => i.uri.includes(uriPart) && i.body !== '');
  if (!hit) throw new Error(`${cassette}: no response for ${uriPart}`);
  return JSON.parse(hit.body) as unknown;
}
