import * as nodeFs from 'node:fs/promises';

/** The part of an open file the file blob store uses (a subset of node's FileHandle). */
export interface BlobFileHandle {
  readonly fd: number;
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  stat(): Promise<BlobFileStat>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** What the store reads from a stat: type, size, identity, owner and permission bits. */
export interface BlobFileStat {
  size: number;
  /** Device and inode: the readiness check sees a database file that was removed or replaced. */
  dev: number;
  ino: number;
  uid: number;
  mode: number;
  mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

/**
 * The file operations of the file blob store, injected so that tests can reproduce a full disk
 * (short writes, ENOSPC) or a lying file system without root. {@link nodeBlobFs} is the real one.
 */
export interface BlobFs {
  open(path: string, flags: string, mode?: number): Promise<BlobFileHandle>;
  mkdir(path: string, options: { recursive: boolean; mode: number }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
  stat(path: string): Promise<BlobFileStat>;
  lstat(path: string): Promise<BlobFileStat>;
  chmod(path: string, mode: number): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Free space of the file system holding `path` (the readiness check, issue 12.8). */
  statfs(path: string): Promise<BlobFsSpace>;
}

/** What the readiness check reads from statfs(2): block size and blocks free to an unprivileged user. */
export interface BlobFsSpace {
  bsize: number;
  bavail: number;
}

/** node:fs/promises as a {@link BlobFs}. */
export const nodeBlobFs: BlobFs = {
  open: (path, flags, mode) => nodeFs.open(path, flags, mode),
  mkdir: (path, options) => nodeFs.mkdir(path, options),
  rename: (from, to) => nodeFs.rename(from, to),
  rm: (path, options) => nodeFs.rm(path, options),
  stat: (path) => nodeFs.stat(path),
  lstat: (path) => nodeFs.lstat(path),
  chmod: (path, mode) => nodeFs.chmod(path, mode),
  readdir: (path) => nodeFs.readdir(path),
  statfs: (path) => nodeFs.statfs(path),
};
