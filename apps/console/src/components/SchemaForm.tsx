import { useId } from 'react';

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  format?: string;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

type Value = Record<string, unknown>;
const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'string') : (s.type ?? (s.properties ? 'object' : 'string')));

/** The problems of `value` against `schema` that a form can show: required fields and basic types, by path. */
export function formProblems(schema: JsonSchema, value: unknown, path = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const v = (value ?? {}) as Value;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const p = path ? `${path}.${key}` : key;
    const x = v[key];
    const empty = x === undefined || x === '' || x === null;
    if (empty) {
      if (schema.required?.includes(key)) out[p] = 'required';
      continue;
    }
    const t = typeOf(prop);
    if ((t === 'number' || t === 'integer') && (typeof x !== 'number' || Number.isNaN(x) || (t === 'integer' && !Number.isInteger(x)))) out[p] = `must be ${t === 'integer' ? 'an integer' : 'a number'}`;
    else if (typeof x === 'number' && prop.minimum !== undefined && x < prop.minimum) out[p] = `at least ${prop.minimum}`;
    else if (typeof x === 'number' && prop.maximum !== undefined && x > prop.maximum) out[p] = `at most ${prop.maximum}`;
    else if (prop.enum && !prop.enum.includes(x)) out[p] = `one of ${prop.enum.join(', ')}`;
    else if (t === 'object') Object.assign(out, formProblems(prop, x, p));
  }
  return out;
}

/** A form generated from a JSON Schema object: one labelled control per property, nested objects as fieldsets. */
export function SchemaForm({ schema, value, onChange, problems, path = '' }: { schema: JsonSchema; value: Value; onChange: (v: Value) => void; problems: Record<string, string>; path?: string }) {
  const base = useId();
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => {
        const p = path ? `${path}.${key}` : key;
        const id = `${base}-${p}`;
        const t = typeOf(prop);
        const label = `${prop.title ?? key}${schema.required?.includes(key) ? ' *' : ''}`;
        const set = (x: unknown) => onChange({ ...value, [key]: x });
        const x = value[key];
        const problem = problems[p];
        const aria = { 'aria-invalid': problem ? true : undefined, 'aria-describedby': problem ? `${id}-problem` : prop.description ? `${id}-help` : undefined } as const;
        let control;
        if (t === 'object') {
          return (
            <fieldset key={p}>
              <legend>{label}</legend>
              <SchemaForm schema={prop} value={(x ?? {}) as Value} onChange={set} problems={problems} path={p} />
            </fieldset>
          );
        } else if (prop.enum) {
          control = (
            <select id={id} value={x === undefined ? '' : String(x)} onChange={(e) => set(prop.enum!.find((o) => String(o) === e.target.value))} {...aria}>
              <option value="">—</option>
              {prop.enum.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </select>
          );
        } else if (t === 'boolean') {
          control = <input id={id} type="checkbox" checked={x === true} onChange={(e) => set(e.target.checked)} {...aria} />;
        } else if (t === 'number' || t === 'integer') {
          control = <input id={id} type="number" step={t === 'integer' ? 1 : 'any'} value={x === undefined ? '' : String(x)} onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))} {...aria} />;
        } else if (t === 'array') {
          control = <input id={id} value={Array.isArray(x) ? x.join(', ') : ''} onChange={(e) => set(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} {...aria} />;
        } else {
          const type = prop.format === 'date' ? 'date' : prop.format === 'email' ? 'email' : 'text';
          control = <input id={id} type={type} value={x === undefined ? '' : String(x)} onChange={(e) => set(e.target.value)} {...aria} />;
        }
        return (
          <div className="field" key={p}>
            <label htmlFor={id}>{label}</label>
            {control}
            {prop.description ? <p id={`${id}-help`} className="hint">{prop.description}</p> : null}
            {problem ? <p id={`${id}-problem`} className="error">{problem}</p> : null}
          </div>
        );
      })}
    </>
  );
}
