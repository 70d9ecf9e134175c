// The playground page: wires the editor, the settings, one run at a time over the WebSocket, and links to runs.
import { createEditor } from './editor.js';
import { apiKey, getJson } from './api.js';
import { startRun } from './run.js';
import { createOutput } from './output.js';
import { rememberRun, recalledRun } from './runs.js';

const samples = {
  python: 'name = input("Your name? ")\nprint(f"Hello, {name}!")\n',
  javascript: 'const readline = require("readline");\nconst rl = readline.createInterface({ input: process.stdin });\nprocess.stdout.write("Your name? ");\nrl.once("line", (name) => { console.log(`Hello, ${name}!`); rl.close(); });\n',
};

const $ = (id) => document.getElementById(id);
const ui = {
  language: $('language'), timeout: $('timeout'), memory: $('memory'), stdin: $('stdin'), run: $('run'), stop: $('stop'),
  status: $('status'), input: $('input-line'), inputForm: $('input-form'), eof: $('eof'), key: $('api-key'), link: $('permalink'),
};
const output = createOutput($('output'), $('result'));
const editor = createEditor($('editor'), { doc: samples.python, labelId: 'code-label', onRun: () => run() });
let current = null;

function setStatus(text) {
  ui.status.textContent = text;
}

function setRunning(running) {
  ui.run.disabled = running;
  ui.stop.disabled = !running;
  ui.input.disabled = !running;
  ui.eof.disabled = !running;
  ui.inputForm.querySelector('button[type=submit]').disabled = !running;
}

function request() {
  const body = { language: ui.language.value, code: editor.code, timeout: Number(ui.timeout.value) };
  if (ui.stdin.value) body.stdin = ui.stdin.value;
  if (ui.memory.value) body.limits = { memory: Math.round(Number(ui.memory.value) * 1048576) };
  return body;
}

function run() {
  if (current) return;
  const body = request();
  output.clear();
  ui.link.hidden = true;
  setRunning(true);
  setStatus('Starting…');
  current = startRun(body, {
    onAccepted(id) {
      rememberRun(id, { language: body.language, code: body.code, stdin: body.stdin ?? '' });
      setStatus('Queued.');
    },
    onStarted: () => setStatus('Running: type input for the program below.'),
    onOutput: (kind, text) => output[kind](text),
    onNotice: (text) => output.notice(text),
    onEnd(record, error) {
      const id = current?.executionId;
      current = null;
      setRunning(false);
      if (record) {
        output.showRecord(record);
        setStatus(`Finished: ${record.status.replace(/_/g, ' ')}.`);
        showLink(record.id);
      } else {
        output.notice(error);
        setStatus(error);
        if (id) showLink(id);
      }
      ui.run.focus();
    },
  });
}

function showLink(id) {
  const anchor = ui.link.querySelector('a');
  anchor.href = `#${id}`;
  anchor.textContent = `${location.origin}${location.pathname}#${id}`;
  ui.link.hidden = false;
  history.replaceState(null, '', `#${id}`);
}

async function reopen(id) {
  output.clear();
  const saved = recalledRun(id);
  if (saved) {
    ui.language.value = saved.language;
    editor.setLanguage(saved.language);
    editor.code = saved.code;
    ui.stdin.value = saved.stdin;
  }
  try {
    const record = await getJson(`/api/execute/${encodeURIComponent(id)}`);
    if (record.stdout) output.stdout(record.stdout);
    if (record.stderr) output.stderr(record.stderr);
    output.showRecord(record);
    showLink(id);
    setStatus(saved ? `Reopened run ${id}.` : `Reopened run ${id}: its code was run in another browser and is not stored on the server.`);
  } catch (e) {
    setStatus(`Could not reopen run ${id}: ${e.message}`);
  }
}

async function loadRuntimes() {
  try {
    const runtimes = await getJson('/api/runtimes');
    ui.language.replaceChildren(...runtimes.map((r) => new Option(`${r.language} ${r.version}`, r.language)));
    setStatus('Ready.');
  } catch (e) {
    ui.language.replaceChildren(...Object.keys(samples).map((name) => new Option(name, name)));
    setStatus(`Could not load the languages (${e.message}); set the API key below if the server needs one.`);
  }
}

ui.language.addEventListener('change', () => {
  const previous = Object.values(samples).includes(editor.code);
  editor.setLanguage(ui.language.value);
  if (previous && samples[ui.language.value]) editor.code = samples[ui.language.value];
});
$('run-form').addEventListener('submit', (event) => { event.preventDefault(); run(); });
ui.stop.addEventListener('click', () => { current?.kill(); setStatus('Stopping…'); });
ui.inputForm.addEventListener('submit', (event) => {
  event.preventDefault();
  current?.sendInput(`${ui.input.value}\n`);
  output.stdin(`${ui.input.value}\n`);
  ui.input.value = '';
});
ui.eof.addEventListener('click', () => current?.sendInput('', true));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) { event.preventDefault(); run(); }
});
ui.key.value = apiKey.get();
ui.key.addEventListener('change', () => { apiKey.set(ui.key.value.trim()); loadRuntimes(); });
window.addEventListener('hashchange', () => location.hash.length > 1 && !current && reopen(location.hash.slice(1)));

setRunning(false);
await loadRuntimes();
if (location.hash.length > 1) await reopen(location.hash.slice(1));
document.body.dataset.ready = 'true';
