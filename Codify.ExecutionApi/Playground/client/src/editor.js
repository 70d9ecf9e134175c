// The code editor: CodeMirror 6 with Python or JavaScript highlighting, Ctrl/Cmd+Enter to run.
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { python } from '@codemirror/lang-python';
import { javascript } from '@codemirror/lang-javascript';

const grammars = { python: () => python(), javascript: () => javascript() };

export function createEditor(parent, { doc, labelId, onRun }) {
  const language = new Compartment();
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
      indentOnInput(), bracketMatching(), closeBrackets(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      EditorState.tabSize.of(4),
      language.of(grammars.python()),
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onRun(); return true; } }])),
      // Tab indents; Escape then Tab leaves the editor (CodeMirror's documented way out, so keyboard users are not trapped).
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
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
