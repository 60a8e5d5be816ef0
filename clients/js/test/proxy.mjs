// A recording HTTP relay in front of a real `vitarec serve`, for the tests to see what the client
// sends (headers, timing) and to break what a real network breaks: an event stream cut after N
// events, a route that answers 404 (as a front-end tier does for events), a request that never
// gets an answer. Not a stand-in for the service: every other request reaches the real one.
import http from 'node:http';

// rule(request) → undefined (relay), {status, body} (answer that), {cutAfterEvents: n} (relay,
// then drop the connection after n events), 'hang' (never answer) or 'reset' (drop the
// connection at once, as a service that is down).
export async function StartProxy(upstream, rule = () => undefined) {
  const requests = [];
  const sockets = new Set();
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: { ...req.headers }, at: Date.now() });
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
      if (!action?.cutAfterEvents) {
        up.pipe(res);
        return;
      }
      let text = '';
      let sent = 0;
      up.setEncoding('utf8');
      up.on('data', (chunk) => {
        text += chunk;
        // Forward whole events only, and stop after the n-th one that carries data.
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const block = text.slice(0, end + 2);
          text = text.slice(end + 2);
          if (/^data:/m.test(block) && ++sent >= action.cutAfterEvents) {
            up.destroy();
            res.write(block, () => res.destroy());  // the event reaches the client, then the cut
            return;
          }
          res.write(block);
        }
      });
      up.on('end', () => res.end(text));
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
