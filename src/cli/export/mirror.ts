import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/** What an exported file was made from: the ids a user can trace it back to. */
export interface FileSource {
  type: 'activity' | 'workout' | 'health_day' | 'table';
  id: string;
  /** sha256 of the FIT a GPX was made from; the `synced_at` of a health day. */
  from?: string;
}

/** One file of manifest.json. `size` + `mtime_ms` say "untouched since we wrote it" without hashing. */
export interface ManifestFile {
  sha256: string;
  size: number;
  mtime_ms: number;
  source: FileSource;
}

export interface Manifest {
  format: 1;
  tool: { name: 'garminsync'; version: string };
  server: string;
  exported_at: string | null;
  files: Record<string, ManifestFile>;
  /** activityId → sha256 of a FIT without positions (so it gets no GPX and is not decoded again). */
  no_track?: Record<string, string>;
}

export type Outcome = 'written' | 'unchanged' | 'kept';

export const MANIFEST = 'manifest.json';

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The export folder and its manifest: decides for each file whether to write it, leave it
 * (already what we would write) or keep it (changed by the user, or not ours), and writes
 * atomically (a temp file beside the target, then rename). A file the user changed is never
 * replaced unless `force`. In a dry run nothing is written, only decided.
 */
export class Mirror {
  readonly kept: { path: string; reason: string }[] = [];
  written = 0;
  unchanged = 0;
  bytesWritten = 0;
  removed = 0;
  private dirtySinceSave = 0;
  /** Paths by source (`type\0id`), built on first use: a scan of the manifest per item was quadratic. */
  private bySource: Map<string, Set<string>> | undefined;

  private constructor(
    readonly root: string,
    readonly manifest: Manifest,
    private readonly opts: { force: boolean; dryRun: boolean },
  ) {}

  /** Opens DIR (its manifest when there is one; a manifest we cannot read starts afresh). */
  static async open(root: string, base: { version: string; server: string }, opts: { force: boolean; dryRun: boolean }): Promise<Mirror> {
    let manifest: Manifest = {
      format: 1,
      tool: { name: 'garminsync', version: base.version },
      server: base.server,
      exported_at: null,
      files: {},
    };
    try {
      const parsed = JSON.parse(await readFile(join(root, MANIFEST), 'utf8')) as Partial<Manifest>;
      if (parsed.format === 1 && parsed.files && typeof parsed.files === 'object') {
        manifest = { ...manifest, exported_at: parsed.exported_at ?? null, files: parsed.files, no_track: parsed.no_track ?? {} };
      }
    } catch {
      // No manifest yet (first export), or one we did not write: every file is checked by content.
    }
    manifest.tool.version = base.version;
    manifest.server = base.server;
    return new Mirror(root, manifest, opts);
  }

  private abs(rel: string): string {
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes(sep) || p.includes('\0')))
      throw new Error(`unsafe export path: ${rel}`);
    return join(this.root, ...parts);
  }

  /** The sha256 of the file at `rel` now, trusting the manifest while size and mtime are as we left them; null when absent. */
  private async current(rel: string): Promise<{ sha256: string; regular: boolean } | null> {
    let st;
    try {
      st = await lstat(this.abs(rel));
    } catch {
      return null;
    }
    if (!st.isFile()) return { sha256: '', regular: false };
    const entry = this.manifest.files[rel];
    if (entry && entry.size === st.size && entry.mtime_ms === st.mtimeMs) return { sha256: entry.sha256, regular: true };
    return { sha256: await hashFile(this.abs(rel)), regular: true };
  }

  /**
   * Whether the file at `rel` is still exactly the one we wrote from `from` (a GPX from this
   * FIT, a day document from this sync): then it need not even be produced again.
   */
  async upToDate(rel: string, from: string): Promise<boolean> {
    const entry = this.manifest.files[rel];
    if (!entry || entry.source.from !== from) return false;
    const now = await this.current(rel);
    return now !== null && now.regular && now.sha256 === entry.sha256;
  }

  /**
   * Decides what to do with `rel` before its content is fetched or made: `unchanged` when it
   * already holds `sha256` (when known), `kept` when a file is there that is not what we last
   * wrote (the user changed it, or it was never ours; reported, unless `force`), else `write`.
   */
  async plan(rel: string, sha256: string | null, source: FileSource): Promise<Outcome | 'write'> {
    const now = await this.current(rel);
    if (sha256 !== null && now?.regular && now.sha256 === sha256) {
      await this.record(rel, sha256, source);
      this.unchanged++;
      return 'unchanged';
    }
    const ours = this.manifest.files[rel];
    if (now && !this.opts.force && (!now.regular || !ours || ours.sha256 !== now.sha256)) {
      this.kept.push({
        path: rel,
        reason: !now.regular ? 'not a regular file' : ours ? 'changed since the last export' : 'not written by garminsync export',
      });
      return 'kept';
    }
    return 'write';
  }

  /** Puts `bytes` at `rel` unless it already holds them or the user's file is in the way (see {@link plan}). */
  async put(rel: string, bytes: Uint8Array, source: FileSource): Promise<Outcome> {
    const sha256 = sha256Hex(bytes);
    const decided = await this.plan(rel, sha256, source);
    if (decided !== 'write') return decided;
    await this.write(rel, bytes, sha256, source);
    return 'written';
  }

  /** Writes a file that {@link plan} said to write: a temp file beside it, then rename (atomic). */
  async write(rel: string, bytes: Uint8Array, sha256: string, source: FileSource): Promise<void> {
    this.written++;
    this.bytesWritten += bytes.byteLength;
    if (this.opts.dryRun) return;
    const target = this.abs(rel);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.part`);
    try {
      await writeFile(tmp, bytes, { mode: 0o644, flag: 'wx' });
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await this.record(rel, sha256, source);
  }

  /** Counts a file that needed no work at all (known to be up to date). */
  skip(): void {
    this.unchanged++;
  }

  /**
   * Removes a file we wrote under an older name (a renamed workout, a changed sport) when it is
   * still exactly as we wrote it; a file the user changed stays.
   */
  async retire(rel: string): Promise<void> {
    const entry = this.manifest.files[rel];
    if (!entry) return;
    const now = await this.current(rel);
    if (now && (!now.regular || now.sha256 !== entry.sha256)) return;
    this.removed++;
    if (this.opts.dryRun) return;
    if (now) await unlink(this.abs(rel)).catch(() => {});
    this.unindex(rel, entry.source);
    delete this.manifest.files[rel];
    this.dirtySinceSave++;
  }

  /** Remembers that this FIT has no positions: no GPX, and no decoding next time. */
  noteNoTrack(activityId: string, fitSha256: string): void {
    if (this.opts.dryRun) return;
    (this.manifest.no_track ??= {})[activityId] = fitSha256;
    this.dirtySinceSave++;
  }

  /** Paths in the manifest made from a source (to find a file's older names). */
  pathsOf(type: FileSource['type'], id: string): string[] {
    if (!this.bySource) {
      this.bySource = new Map();
      for (const [rel, f] of Object.entries(this.manifest.files)) this.index(rel, f.source);
    }
    return [...(this.bySource.get(`${type}\0${id}`) ?? [])];
  }

  private index(rel: string, source: FileSource): void {
    if (!this.bySource) return;
    const key = `${source.type}\0${source.id}`;
    const set = this.bySource.get(key);
    if (set) set.add(rel);
    else this.bySource.set(key, new Set([rel]));
  }

  private unindex(rel: string, source: FileSource): void {
    this.bySource?.get(`${source.type}\0${source.id}`)?.delete(rel);
  }

  private async record(rel: string, sha256: string, source: FileSource): Promise<void> {
    if (this.opts.dryRun) return;
    const st = await stat(this.abs(rel));
    const before = this.manifest.files[rel];
    if (
      before &&
      before.sha256 === sha256 &&
      before.size === st.size &&
      before.mtime_ms === st.mtimeMs &&
      before.source.from === source.from
    )
      return;
    if (before) this.unindex(rel, before.source);
    this.manifest.files[rel] = { sha256, size: st.size, mtime_ms: st.mtimeMs, source };
    this.index(rel, source);
    this.dirtySinceSave++;
  }

  /** Writes manifest.json (atomically) when something changed since the last save, or when `final` and the export wrote something. */
  async save(exportedAt: string, final = false): Promise<void> {
    if (this.opts.dryRun || (this.dirtySinceSave === 0 && !(final && this.written > 0))) return;
    this.manifest.exported_at = exportedAt;
    const sorted = <V>(o: Record<string, V>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const body = `${JSON.stringify({ ...this.manifest, files: sorted(this.manifest.files), no_track: sorted(this.manifest.no_track ?? {}) }, null, 2)}\n`;
    await mkdir(this.root, { recursive: true });
    const tmp = join(this.root, `.manifest.${randomBytes(6).toString('hex')}.part`);
    await writeFile(tmp, body, { mode: 0o644 });
    await rename(tmp, join(this.root, MANIFEST));
    this.dirtySinceSave = 0;
  }

  /** Saves every `every` changes, so an interrupted export loses little bookkeeping. */
  async checkpoint(exportedAt: string, every = 100): Promise<void> {
    if (this.dirtySinceSave >= every) await this.save(exportedAt);
  }
}
