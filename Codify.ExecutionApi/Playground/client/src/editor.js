// The code editor: CodeMirror 6 with Python or JavaScript highlighting, Ctrl/Cmd+Enter to run.
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { Compartment, Prec } from '@codemirror/state';
import { python } from '@codemirror/lang-python';
import { javascript } from '@codemirror/lang-javascript';

const grammars = { python: () => python(), javascript: () => javascript() };

export function createEditor(parent, { doc, labelId, onRun }) {
  const language = new Compartment();
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      basicSetup,
      language.of(grammars.python()),
      // Tab moves focus out of the editor (keyboard users are not trapped); Ctrl/Cmd+Enter runs.
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onRun(); return true; } }])),
      EditorView.contentAttributes.of({ 'aria-labelledby': labelId }),
    ],
  });
  return {
    get code() { return view.state.doc.toString(); },
    set code(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    setLanguage(name) {
      const grammar = grammars[name] ?? (() => []);
      view.dispatch({ effects: language.reconfigure(grammar()) });
    },
    focus() { view.focus(); },
  };
}
