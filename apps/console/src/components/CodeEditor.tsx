import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

export interface CodeEditorProps {
  value: string;
  language: 'yaml' | 'json';
  onChange?: (text: string) => void;
  diagnostics?: Diagnostic[];
  label: string;
  readOnly?: boolean;
}

/** CodeMirror 6 with YAML or JSON, and diagnostics pushed from outside (the API's validation). */
export function CodeEditor({ value, language, onChange, diagnostics, label, readOnly = false }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          language === 'yaml' ? yaml() : json(),
          lintGutter(),
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The editor is made once per language; `value` changes from outside go through the effect below.
  }, [language, readOnly, label]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v && diagnostics) v.dispatch(setDiagnostics(v.state, diagnostics.filter((d) => d.to <= v.state.doc.length)));
  }, [diagnostics]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
