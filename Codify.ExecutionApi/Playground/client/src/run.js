// One run over Codify's WebSocket protocol (/ws): execute with interactive: true, stream its events, feed stdin, kill.
import { socketProtocols } from './api.js';

export function startRun(request, handlers) {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, socketProtocols());
  let executionId = null;
  let ended = false;
  const send = (message) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));
  const end = (record, error) => {
    if (ended) return;
    ended = true;
    handlers.onEnd(record, error);
    socket.close();
  };

  socket.onopen = () => send({ type: 'execute', interactive: true, ...request });
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    switch (message.type) {
      case 'accepted':
        executionId = message.executionId;
        handlers.onAccepted(executionId);
        break;
      case 'started':
        handlers.onStarted?.();
        break;
      case 'stdout':
      case 'stderr':
        handlers.onOutput(message.type, message.data);
        break;
      case 'completed':
        end(message.record, null);
        break;
      case 'error':
      case 'overflow':
        // An error before 'accepted' (validation, rate limit…) ends the run; later ones (stdin_closed…) are shown only.
        if (executionId === null) end(null, describe(message));
        else handlers.onNotice(describe(message));
        break;
    }
  };
  socket.onclose = (event) => end(null, event.code === 1000 ? 'The connection closed.' : `The connection closed (${event.code}); is the API key right?`);

  return {
    get executionId() { return executionId; },
    sendInput: (data, eof = false) => executionId && send({ type: 'stdin', executionId, data, eof }),
    kill: () => executionId ? send({ type: 'kill', executionId }) : end(null, 'Stopped before it started.'),
  };
}

function describe(message) {
  const fields = message.errors ? ' ' + Object.entries(message.errors).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ') : '';
  const retry = message.retryAfter ? ` Try again in ${message.retryAfter} s.` : '';
  return `${message.message ?? message.code}${fields}${retry}`;
}
