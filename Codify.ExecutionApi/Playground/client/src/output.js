// The output panel: stdout and stderr told apart (colour and a screen-reader prefix), and the run's result.
export function createOutput(log, result) {
  const append = (kind, text) => {
    const last = log.lastElementChild;
    if (last?.dataset.kind === kind) {
      last.lastChild.textContent += text;
      return;
    }
    const chunk = document.createElement('span');
    chunk.className = kind;
    chunk.dataset.kind = kind;
    if (kind !== 'stdout') {
      const label = document.createElement('span');
      label.className = 'visually-hidden';
      label.textContent = `${kind}: `;
      chunk.append(label);
    }
    chunk.append(document.createTextNode(text));
    log.append(chunk);
  };

  return {
    clear() {
      log.replaceChildren();
      result.hidden = true;
    },
    stdout: (text) => append('stdout', text),
    stderr: (text) => append('stderr', text),
    stdin: (text) => append('stdin', text),
    notice: (text) => append('notice', `${text}\n`),
    showRecord(record) {
      const field = (name, value) => { result.querySelector(`[data-field="${name}"]`).textContent = value; };
      field('verdict', record.status.replace(/_/g, ' ') + (record.limitExceeded ? ` (${record.limitExceeded})` : ''));
      field('exit', record.exitCode ?? (record.signal ? `signal ${record.signal}` : '—'));
      field('wall', record.wallTimeMs != null ? `${record.wallTimeMs} ms` : '—');
      field('cpu', record.cpuTimeMs != null ? `${record.cpuTimeMs} ms` : '—');
      field('memory', record.memoryPeakBytes != null ? `${(record.memoryPeakBytes / 1048576).toFixed(1)} MiB` : '—');
      result.dataset.status = record.status;
      result.hidden = false;
    },
  };
}
