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

/** What the store reads from a stat: type, size, owner and permission bits. */
export interface BlobFileStat {
  size: number;
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
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
  stat(path: string): Promise<BlobFileStat>;
  lstat(path: string): Promise<BlobFileStat>;
  chmod(path: string, mode: number): Promise<void>;
  readdir(path: string): Promise<string[]>;
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
};
