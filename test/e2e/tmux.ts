import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A private tmux server (its own socket) holding one pane, for driving the CLI like a person at
 * a real terminal. Only this server is ever killed.
 */
export class TmuxPane {
  private constructor(
    private readonly socket: string,
    private readonly target: string,
  ) {}

  static async available(): Promise<boolean> {
    return exec('tmux', ['-V']).then(
      () => true,
      () => false,
    );
  }

  /** Starts `command` (a shell string) in a fresh pane, 160x40 unless told. */
  static async start(
    socket: string,
    command: string,
    size: { columns: number; rows: number } = { columns: 160, rows: 40 },
  ): Promise<TmuxPane> {
    const [x, y] = [String(size.columns), String(size.rows)];
    await exec('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'cli', '-x', x, '-y', y, command]);
    return new TmuxPane(socket, 'cli');
  }

  async screen(): Promise<string> {
    const { stdout } = await exec('tmux', ['-L', this.socket, 'capture-pane', '-p', '-J', '-t', this.target, '-S', '-200']);
    return stdout;
  }

  /** Types literal text, then Enter. */
  async type(text: string): Promise<void> {
    await exec('tmux', ['-L', this.socket, 'send-keys', '-t', this.target, '-l', text]);
    await exec('tmux', ['-L', this.socket, 'send-keys', '-t', this.target, 'Enter']);
  }

  /** Presses a key by tmux name, e.g. `C-c`. */
  async press(key: string): Promise<void> {
    await exec('tmux', ['-L', this.socket, 'send-keys', '-t', this.target, key]);
  }

  /** Polls the screen until `pattern` shows up (no fixed sleeps), or fails with the screen. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.screen().catch(() => last);
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern} on the screen:\n${last}`);
  }

  async kill(): Promise<void> {
    await exec('tmux', ['-L', this.socket, 'kill-server']).catch(() => {});
  }
}
