// A recording HTTP relay in front of a real `vitarec serve`, for the tests to see what the client
// sends (headers, timing) and to break what a real network breaks: an event stream cut after N
// events, a route that answers 404 (as a front-end tier does for events), a request that never
// gets an answer. Not a stand-in for the service: every other request reaches the real one.
import http from 'node:http';

// rule(request) → undefined (relay), {status, body} (answer that), {cutAfterEvents: n} (relay,
// then drop the connection after n events), {rewrite(block) → blocks, gapMs} (relay an event
// stream, each event replaced by the blocks rewrite returns, sent gapMs apart), 'hang' (never
// answer) or 'reset' (drop the connection at once, as a service that is down).
export async function StartProxy(upstream, rule = () => undefined) {
  const requests = [];
  const sockets = new Set();
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const record = { method: req.method, url: req.url, headers: { ...req.headers }, at: Date.now(), closedAt: null };
    requests.push(record);
    res.on('close', () => { record.closedAt = Date.now(); });
    const action = rule(req);
    if (action === 'hang') return;
    if (action === 'reset') {
      req.socket.destroy();
      return;
    }
    if (action && action.status) {
      res.writeHead(action.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(action.body ?? {}));
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      if (!action?.cutAfterEvents && !action?.rewrite) {
        up.pipe(res);
        return;
      }
      let text = '';
      let sent = 0;
      let queue = Promise.resolve();  // rewritten blocks go out in order, gapMs apart
      let timer = null;
      res.on('close', () => clearTimeout(timer));  // a client gone: what is queued is dropped
      const forward = (block) => {
        const blocks = action.rewrite ? action.rewrite(block) : [block];
        for (const [i, b] of blocks.entries()) {
          queue = queue.then(() => new Promise((resolve) => {
            if (res.destroyed) return;  // the chain stops here
            timer = setTimeout(() => res.write(b, resolve), i ? action.gapMs ?? 0 : 0);
          }));
        }
      };
      up.setEncoding('utf8');
      up.on('data', (chunk) => {
        text += chunk;
        // Forward whole events only; with cutAfterEvents, stop after the n-th one that has data.
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const block = text.slice(0, end + 2);
          text = text.slice(end + 2);
          if (action.cutAfterEvents && /^data:/m.test(block) && ++sent >= action.cutAfterEvents) {
            up.destroy();
            queue = queue.then(() => res.write(block, () => res.destroy()));  // the event arrives, then the cut
            return;
          }
          forward(block);
        }
      });
      up.on('end', () => { queue = queue.then(() => res.end(text)); });
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(resolve);
    }),
  };
}

// A rewrite for StartProxy: the final `completed` event becomes the narrative as DESIGN.md
// describes it for a service with a model step — the engine's recommendation while the model
// writes (`narrative.status: writing`, text growing: a status event, then a `narrative` event),
// then the final status with the whole text. For testing clients before the service streams it.
export const kNarrativeParts = ['El magnesio <b>ayuda</b>', ' a dormir', ' mejor.'];

export function NarrateCompletion(block) {
  const data = /^data: (.*)$/m.exec(block)?.[1];
  let status;
  try {
    status = JSON.parse(data ?? '');
  } catch {
    return [block];
  }
  if (status?.status !== 'completed' || !status.recommendation) return [block];
  const text = (n) => kNarrativeParts.slice(0, n).join('');
  const writing = { ...status, status: 'processing', state: 'running', progress: 95,
    recommendation: { ...status.recommendation, narrative: { status: 'writing', text: text(1) } } };
  const final = { ...status, recommendation: { ...status.recommendation, narrative: { status: 'complete', text: text(3) } } };
  return [
    `event: status\ndata: ${JSON.stringify(writing)}\n\n`,
    `event: narrative\ndata: ${JSON.stringify({ status: 'writing', text: text(2) })}\n\n`,
    block.replace(/^data: .*$/m, `data: ${JSON.stringify(final)}`),
  ];
}
