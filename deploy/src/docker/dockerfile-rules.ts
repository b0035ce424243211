import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';

// hadolint-equivalent rules for deploy/docker/Dockerfile, which cannot be built here (no Docker engine).
// Each rule names the hadolint check it stands for where there is one.

const PINNED_NODE = /^node:(\d+)\.(\d+)\.(\d+)-[a-z0-9-]+(@sha256:[a-f0-9]{64})?$/;
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS?/i;

export interface DockerfileFacts {
  /** The default of `ARG NODE_IMAGE`, the base of every stage. */
  nodeImage: string | undefined;
  stages: string[];
}

function args(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? '';
}

function copyFrom(instruction: Instruction): string | undefined {
  if (!(instruction instanceof Copy)) return undefined;
  return instruction.getFlags().find((f) => f.getName() === 'from')?.getValue() ?? undefined;
}

export function dockerfileFacts(text: string): DockerfileFacts {
  const dockerfile = DockerfileParser.parse(text);
  const nodeArg = dockerfile.getInitialARGs().find((a) => a.getProperty()?.getName() === 'NODE_IMAGE');
  return {
    nodeImage: nodeArg?.getProperty()?.getValue() ?? undefined,
    stages: dockerfile.getFROMs().map((f) => f.getBuildStage() ?? ''),
  };
}

export function dockerfileProblems(text: string): string[] {
  const dockerfile = DockerfileParser.parse(text);
  const problems: string[] = [];
  const froms = dockerfile.getFROMs();
  const { nodeImage } = dockerfileFacts(text);
  if (froms.length < 2) problems.push('not multi-stage: build and runtime must be separate stages');
  if (!nodeImage || !PINNED_NODE.test(nodeImage)) problems.push(`ARG NODE_IMAGE must pin node:<major>.<minor>.<patch>-<variant> (DL3006/DL3007); got ${nodeImage ?? 'nothing'}`);
  const stages: string[] = [];
  for (const from of froms) {
    const image = from.getImage() ?? '';
    if (image !== '${NODE_IMAGE}' && !stages.includes(image)) problems.push(`FROM ${image}: use \${NODE_IMAGE} or an earlier stage`);
    const stage = from.getBuildStage();
    if (!stage) problems.push(`FROM ${image}: name the stage (AS …) so COPY --from can refer to it`);
    else stages.push(stage);
  }
  const finalStage = froms.at(-1);
  const finalLine = finalStage?.getRange().start.line ?? 0;
  const final = dockerfile.getInstructions().filter((i) => i.getRange().start.line >= finalLine);
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const content = args(instruction);
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'ADD') problems.push(`line ${line}: ADD; use COPY (DL3020), never ADD of a URL`);
    if (keyword === 'WORKDIR' && !content.startsWith('/')) problems.push(`line ${line}: WORKDIR must be absolute (DL3000)`);
    if (keyword === 'RUN' && /(^|[;&|]\s*)cd\s/.test(content)) problems.push(`line ${line}: cd inside RUN; use WORKDIR (DL3003)`);
    if (keyword === 'RUN' && /\bsudo\b/.test(content)) problems.push(`line ${line}: sudo (DL3004)`);
    if (keyword === 'RUN' && /apt-get install(?!.*--no-install-recommends)/.test(content)) problems.push(`line ${line}: apt-get install without --no-install-recommends (DL3015)`);
    if (keyword === 'RUN' && /\b(curl|wget)\b.*https?:\/\//.test(content)) problems.push(`line ${line}: downloads at build time; the build must work from the npm registry only`);
    if ((keyword === 'ENV' || keyword === 'ARG') && SECRET_NAME.test(content)) problems.push(`line ${line}: ${keyword} with a secret-looking name; secrets come at run time`);
    const from = copyFrom(instruction);
    if (from !== undefined && !stages.includes(from)) problems.push(`line ${line}: COPY --from=${from} is not a stage of this Dockerfile (DL3022)`);
  }
  const user = final.filter((i) => i.getKeyword() === 'USER').at(-1);
  const uid = user ? args(user).split(':')[0] ?? '' : '';
  if (!user) problems.push('final stage has no USER: it would run as root (DL3002)');
  else if (!/^\d+$/.test(uid) || uid === '0') problems.push(`final USER ${args(user)}: use a numeric, non-zero uid so Kubernetes can verify runAsNonRoot`);
  const lastRun = final.filter((i) => i.getKeyword() === 'RUN').at(-1);
  if (user && lastRun && lastRun.getRange().start.line > user.getRange().start.line) problems.push('a RUN after the final USER runs as the app user; keep USER last');
  const execForm = (keyword: string) => {
    const instruction = final.filter((i) => i.getKeyword() === keyword).at(-1);
    return instruction ? args(instruction).trim().startsWith('[') || /CMD\s+\[/.test(args(instruction)) : undefined;
  };
  if (execForm('ENTRYPOINT') !== true) problems.push('final stage needs an exec-form ENTRYPOINT ["node", …] so SIGTERM reaches node (DL3025)');
  if (execForm('HEALTHCHECK') !== true) problems.push('final stage needs an exec-form HEALTHCHECK CMD [...]');
  if (!final.some((i) => copyFrom(i) !== undefined)) problems.push('final stage copies nothing from the build stage');
  if (!dockerfile.getInstructions().some((i) => i.getKeyword() === 'RUN' && /npm prune --omit=dev/.test(args(i)))) problems.push('dev dependencies are not pruned (npm prune --omit=dev)');
  if (final.some((i) => i.getKeyword() === 'RUN' && /\bnpm (ci|install)\b/.test(args(i)))) problems.push('npm runs in the final stage; install in the build stage');
  return problems;
}
