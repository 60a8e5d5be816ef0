// The event-stream parser against the cases the HTML standard spells out, each fed whole and
// split at every position (chunk boundaries must not change what is dispatched).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamParser } from '../dist/index.js';

function Parse(chunks) {
  const events = [];
  const parser = new EventStreamParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, retryMs: parser.retryMs, lastEventId: parser.lastEventId };
}

const kCases = [
  { name: 'one status event', text: 'id: 5\nevent: status\ndata: {"a":1}\n\n',
    events: [{ event: 'status', data: '{"a":1}', lastEventId: '5' }] },
  { name: 'CRLF line ends', text: 'id: 1\r\nevent: status\r\ndata: x\r\n\r\n',
    events: [{ event: 'status', data: 'x', lastEventId: '1' }] },
  { name: 'CR line ends', text: 'data: x\rdata: y\r\r', events: [{ event: 'message', data: 'x\ny', lastEventId: '' }] },
  { name: 'data lines joined by LF, one leading space stripped', text: 'data:a\ndata:  b\n\n',
    events: [{ event: 'message', data: 'a\n b', lastEventId: '' }] },
  { name: 'comments and the retry field', text: 'retry: 3000\n\n: heartbeat\n\nevent: status\ndata: 1\n\n',
    events: [{ event: 'status', data: '1', lastEventId: '' }], retryMs: 3000 },
  { name: 'an id persists to later events; the event type does not', text: 'id: 7\nevent: narrative\ndata: a\n\ndata: b\n\n',
    events: [{ event: 'narrative', data: 'a', lastEventId: '7' }, { event: 'message', data: 'b', lastEventId: '7' }] },
  { name: 'a BOM at the start is dropped', text: '\ufeffdata: x\n\n', events: [{ event: 'message', data: 'x', lastEventId: '' }] },
  { name: 'an event without data is not dispatched', text: 'event: status\n\nid: 3\n\n', events: [], lastEventId: '3' },
  { name: 'an id with NUL is ignored; a bad retry too', text: 'id: a\0b\nretry: 1s\ndata: x\n\n',
    events: [{ event: 'message', data: 'x', lastEventId: '' }] },
  { name: 'the last event without its blank line is dropped', text: 'data: whole\n\ndata: cut', events: [{ event: 'message', data: 'whole', lastEventId: '' }] },
  { name: 'a field without a colon', text: 'data\n\n', events: [{ event: 'message', data: '', lastEventId: '' }] },
];

describe('EventStreamParser', () => {
  for (const c of kCases) {
    it(c.name, () => {
      for (let split = 0; split <= c.text.length; ++split) {
        const parsed = Parse([c.text.slice(0, split), c.text.slice(split)]);
        assert.deepEqual(parsed.events, c.events, `split at ${split}`);
        if ('retryMs' in c) assert.equal(parsed.retryMs, c.retryMs);
        if ('lastEventId' in c) assert.equal(parsed.lastEventId, c.lastEventId);
      }
      assert.deepEqual(Parse([...c.text]).events, c.events, 'one character at a time');
    });
  }
});
