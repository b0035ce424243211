import { join } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from '../render/render.js';
import { deployDir } from '../render/tools.js';
import { hasVendoredSchema, objectId, type SchemaProblem } from './schema.js';

// The JSON Schemas allow unknown fields (Kubernetes drops them silently, so a typo such as
// `livenesProbe` goes unnoticed). kubernetes-models' TypeScript types describe the same API:
// type-checking each object as a literal of its kind's type rejects every field the API lacks.

function typeModule(apiVersion: string, kind: string): string {
  if (apiVersion === 'v1') return `kubernetes-models/v1/${kind}`;
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Every field that the API of the object's kind does not define (and any other type error), per object. */
export function unknownFieldProblems(all: readonly K8sObject[]): SchemaProblem[] {
  // Custom resources without generated types: their vendored schemas refuse unknown fields.
  const objects = all.filter((o) => !hasVendoredSchema(o));
  if (objects.length === 0) return [];
  const file = join(deployDir, `.fields-check-${process.pid}.ts`);
  const lines = objects.map((o, i) => {
    const { status: _status, ...object } = o;
    return `import type { I${o.kind} as T${i} } from ${JSON.stringify(typeModule(o.apiVersion, o.kind))}; export const o${i}: T${i} = ${JSON.stringify(object)};`;
  });
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(file, lines.join('\n'), ts.ScriptTarget.ES2023, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => (name === file ? source : getSourceFile(name, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram({ rootNames: [file], options, host });
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
    const object = objects[line];
    return { object: object ? objectId(object) : `line ${line + 1}`, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
  });
}
