import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** Two texts side by side with their differences marked (@codemirror/merge), read-only. */
export function DiffView({ a, b, label }: { a: string; b: string; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const side = (doc: string, name: string) => ({ doc, extensions: [basicSetup, yaml(), EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ 'aria-label': name })] });
    const view = new MergeView({ a: side(a, `${label}: old`), b: side(b, `${label}: new`), parent: host.current!, collapseUnchanged: { margin: 3, minSize: 6 } });
    return () => view.destroy();
  }, [a, b, label]);
  return <div className="diff" ref={host} data-testid="diff" />;
}
