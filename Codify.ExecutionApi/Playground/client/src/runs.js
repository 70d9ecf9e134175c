// What a link to a run needs that the server does not keep: the record has no code, so this browser remembers it.
const storage = 'codify.runs';
const kept = 50;

function load() {
  try {
    return JSON.parse(localStorage.getItem(storage) ?? '{}');
  } catch {
    return {};
  }
}

export function rememberRun(id, source) {
  const runs = load();
  runs[id] = { ...source, at: Date.now() };
  const newest = Object.entries(runs).sort((a, b) => b[1].at - a[1].at).slice(0, kept);
  localStorage.setItem(storage, JSON.stringify(Object.fromEntries(newest)));
}

export const recalledRun = (id) => load()[id] ?? null;
