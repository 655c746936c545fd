import { describe, expect, it } from 'vitest';
import { parseSse } from './sse.js';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

async function collect(...parts: string[]) {
  const out = [];
  for await (const ev of parseSse(chunks(...parts))) out.push(ev);
  return out;
}

describe('parseSse', () => {
  it('parses events split anywhere across chunks, skips comments, joins multi-line data', async () => {
    expect(await collect(': keep-alive\n\nid: 1\nevent: prog', 'ress\ndata: {"a":', '1}\n\r\nevent: end\ndata: x\ndata: y\n\n')).toEqual([
      { event: 'progress', data: '{"a":1}', id: '1' },
      { event: 'end', data: 'x\ny', id: '1' },
    ]);
  });

  it('defaults the event name to "message" and drops an event cut off by the end of the stream', async () => {
    expect(await collect('data: hello\n\n', 'event: end\ndata: {"cut')).toEqual([{ event: 'message', data: 'hello' }]);
  });
});
