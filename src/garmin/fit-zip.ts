/**
 * The streaming unzip of Garmin's "original" download: a ZIP with one deflated `.fit` entry,
 * written in streaming mode (general-purpose bit 3: sizes and CRC in a data descriptor after the
 * data). The local headers are read here and the entry's deflate stream goes to node:zlib's
 * native inflater as the network chunks arrive — a tenth of the CPU of a JavaScript inflater
 * (bench/findings.md) — and ends where the deflate stream ends, so the descriptor and central
 * directory after it are not needed. The FIT's own CRCs (fit.ts) verify what comes out.
 */
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import type { AppError } from '../core/index.js';
import { fitInvalid } from './fit.js';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const LOCAL_HEADER_SIZE = 30;
const STREAMED = 0x0008;
const STORED = 0;
const DEFLATED = 8;

type State =
  | { kind: 'header' }
  | { kind: 'skip'; left: number }
  | { kind: 'stored'; left: number }
  | { kind: 'inflate'; inflater: InflateRaw }
  | { kind: 'ignore' };

/**
 * A streaming unzipper for Garmin's original-download ZIP: push network chunks as they arrive
 * (awaiting each: the inflater's back-pressure), then `finish()` returns the bytes of the first
 * `.fit` entry. Entries before it are skipped (they need their sizes in the local header);
 * everything after it is ignored. Compressed bytes are never held whole; an entry larger than
 * `maxBytes` is refused. Every failure is FIT_INVALID (details.reason says which).
 */
export class FitZipExtractor {
  private state: State = { kind: 'header' };
  /** Bytes of a local header that arrived in pieces. */
  private header: Buffer = Buffer.alloc(0);
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private entryName: string | null = null;
  private entryDone = false;
  private failure: AppError | null = null;
  private disposed = false;
  private settled: Promise<void> | null = null;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  async push(chunk: Uint8Array): Promise<void> {
    if (this.disposed) return;
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0 && !this.failure) {
      const s = this.state;
      if (s.kind === 'ignore') return;
      if (s.kind === 'header') {
        data = this.readHeader(data);
      } else if (s.kind === 'skip' || s.kind === 'stored') {
        const n = Math.min(s.left, data.length);
        if (s.kind === 'stored') this.take(Buffer.from(data.subarray(0, n)));
        s.left -= n;
        data = data.subarray(n);
        if (s.left === 0) {
          if (s.kind === 'stored') this.entryDone = true;
          this.state = s.kind === 'stored' ? { kind: 'ignore' } : { kind: 'header' };
        }
      } else {
        // The deflate stream ends by itself; bytes after its end (descriptor, directory) are ignored.
        if (!this.entryDone && !s.inflater.write(data)) await this.drained(s.inflater);
        return;
      }
    }
  }

  /** Ends the stream and returns the FIT bytes; FIT_INVALID when the archive is broken, truncated or has no FIT. */
  async finish(): Promise<Buffer> {
    if (this.disposed) this.failure ??= fitInvalid('truncated ZIP archive', { entry: this.entryName });
    const s = this.state;
    if (s.kind === 'inflate' && !this.failure && !this.entryDone) {
      s.inflater.end();
      await this.settled;
    }
    if (this.failure) throw this.failure;
    if (this.entryName === null) throw fitInvalid('no .fit entry in the ZIP archive');
    if (!this.entryDone) throw fitInvalid('truncated ZIP archive', { entry: this.entryName });
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }

  /** Frees the inflater of a download that ended early (a network failure before `finish`). */
  dispose(): void {
    // Later pushes are no-ops and finish() fails: the inflater is gone. (The failure is made only
    // if finish() is called: connect.ts disposes after every download, and an error's stack trace
    // per synced item showed in the row-8 profile.)
    this.disposed = true;
    if (this.state.kind === 'inflate') this.state.inflater.destroy();
  }

  /** Collects a local header (which may straddle chunks) and picks the entry's state; returns the rest. */
  private readHeader(data: Buffer): Buffer {
    const h = this.header.length > 0 ? Buffer.concat([this.header, data]) : data;
    if (h.length >= 4 && h.readUInt32LE(0) !== LOCAL_HEADER) {
      const sig = h.readUInt32LE(0);
      if (sig === CENTRAL_HEADER || sig === END_OF_CENTRAL) this.state = { kind: 'ignore' };
      else this.failure = fitInvalid('broken ZIP archive', { error: 'no local file header' });
      return Buffer.alloc(0);
    }
    const full = h.length >= LOCAL_HEADER_SIZE ? LOCAL_HEADER_SIZE + h.readUInt16LE(26) + h.readUInt16LE(28) : Infinity;
    if (h.length < full) {
      this.header = Buffer.from(h);
      return Buffer.alloc(0);
    }
    this.header = Buffer.alloc(0);
    const flags = h.readUInt16LE(6);
    const method = h.readUInt16LE(8);
    const compressed = h.readUInt32LE(18);
    const name = h.toString('utf8', LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + h.readUInt16LE(26));
    const sizeKnown = (flags & STREAMED) === 0 || compressed !== 0;
    const isFit = this.entryName === null && /\.fit$/i.test(name);
    if (!isFit) {
      if (!sizeKnown || compressed === 0xffffffff) this.failure = fitInvalid('broken ZIP archive', { error: `cannot skip entry ${name}` });
      else this.state = { kind: 'skip', left: compressed };
    } else {
      this.entryName = name;
      if (method === DEFLATED) this.state = { kind: 'inflate', inflater: this.inflater() };
      else if (method === STORED && sizeKnown && compressed !== 0xffffffff) this.state = { kind: 'stored', left: compressed };
      else this.failure = fitInvalid('broken ZIP archive', { error: `unsupported entry (method ${method})` });
      if (this.state.kind === 'stored' && compressed === 0) this.entryDone = true;
    }
    return h.subarray(full);
  }

  private inflater(): InflateRaw {
    const z = createInflateRaw();
    this.settled = new Promise<void>((resolve) => {
      z.on('data', (out: Buffer) => {
        if (!this.take(out)) z.destroy();
      });
      z.once('end', () => {
        this.entryDone = true;
        resolve();
      });
      z.once('error', (e: NodeJS.ErrnoException) => {
        this.failure ??=
          e.code === 'Z_BUF_ERROR'
            ? fitInvalid('truncated ZIP archive', { entry: this.entryName })
            : fitInvalid('broken ZIP archive', { error: e.message });
        resolve();
      });
      z.once('close', () => resolve());
    });
    return z;
  }

  /** Keeps a piece of the entry; false (and a failure) once it is over the limit. */
  private take(piece: Buffer): boolean {
    this.size += piece.length;
    if (this.size > this.maxBytes) {
      this.failure ??= fitInvalid('FIT entry too large', { max: this.maxBytes });
      return false;
    }
    this.chunks.push(piece);
    return true;
  }

  /** Waits for the inflater to take more input, or to end or fail. */
  private drained(z: InflateRaw): Promise<void> {
    // A destroyed inflater returns false from write and has already emitted 'close': waiting
    // for its events would never settle (a push after dispose() did so).
    if (z.destroyed || !z.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        z.off('drain', done);
        z.off('close', done);
        z.off('end', done);
        z.off('error', done);
        resolve();
      };
      z.once('drain', done);
      z.once('close', done);
      z.once('end', done);
      z.once('error', done);
    });
  }
}
