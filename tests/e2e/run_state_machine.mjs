// Runs a state machine definition locally with aws-local-stepfunctions, every
// CodeBuild StartBuild Task replaced by a stand-in that records what it was
// asked to build.
//
//   node run_state_machine.mjs DEFINITION.json INPUT.json [options]
//
//   --fail PROJECT   that project's build fails (States.TaskFailed); repeatable
//   --throttle N     the first N StartBuild calls of every project are refused
//                    with CodeBuild.AccountLimitExceededException (retries are
//                    not waited for)
//   --idle-ms MS     quiet time that ends a batch (default 50)
//   --timeout-ms MS  give up on the execution after this long (default 60000)
//
// Stand-in builds do not finish by themselves: once nothing has happened for
// --idle-ms, every build then running finishes together and forms one batch.
// Builds that the state machine runs at the same time so share a batch, and a
// build that waits for another lands in a later one; with MaxConcurrency at
// least the size of a wave, each wave of the dynamic style is one batch.
//
// Prints on stdout:
//   {"status": "SUCCEEDED" | "FAILED",
//    "builds": [{"batch", "state", "project", "source_version", "env",
//                "attempts", "result"}, ...],       in the order they started
//    "batches": [["project", ...], ...],            sorted within a batch
//    "output": <execution output>, or "error": {"name", "message"}}
// A build whose batch and result are null was still running when the
// execution ended. After a failed iteration the local runner still starts the
// Map iterations it had queued (Step Functions does not), so only `batches`,
// the builds that finished, says what ran before a failure.
// Exit status: 0 the execution succeeded, 1 it failed, 2 usage or unreadable input.
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const START_BUILD = 'arn:aws:states:::codebuild:startBuild';

function usage(message) {
  console.error(`run_state_machine: ${message}`);
  console.error('usage: node run_state_machine.mjs DEFINITION.json INPUT.json ' +
                '[--fail PROJECT]... [--throttle N] [--idle-ms MS] [--timeout-ms MS]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { files: [], fail: new Set(), throttle: 0, idleMs: 50, timeoutMs: 60000 };
  const number = (flag, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) usage(`${flag} needs a whole number, not ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`));
    if (arg === '--fail') args.fail.add(value());
    else if (arg === '--throttle') args.throttle = number(arg, value());
    else if (arg === '--idle-ms') args.idleMs = number(arg, value());
    else if (arg === '--timeout-ms') args.timeoutMs = number(arg, value());
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length !== 2) usage('needs a definition and an input file');
  return args;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    usage(`${file}: ${error.message}`);
  }
}

// Every Task state of the definition, nested ones included: [name, state].
function taskStates(states, found = []) {
  for (const [name, state] of Object.entries(states ?? {})) {
    if (state.Type === 'Task') found.push([name, state]);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) taskStates(processor.States, found);
    for (const branch of state.Branches ?? []) taskStates(branch.States, found);
  }
  return found;
}

function namedError(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const args = parseArgs(process.argv.slice(2));
const definition = readJson(args.files[0]);
const input = readJson(args.files[1]);

const builds = [];
const batches = [];
const attempts = new Map();  // project -> StartBuild calls so far
let running = [];            // started stand-in builds: {record, finish}
let lastActivity = Date.now();

function startBuild(stateName, parameters) {
  lastActivity = Date.now();
  const project = parameters.ProjectName;
  const calls = (attempts.get(project) ?? 0) + 1;
  attempts.set(project, calls);
  if (calls <= args.throttle) {
    return Promise.reject(namedError('CodeBuild.AccountLimitExceededException',
                                     `stand-in: ${project} throttled (call ${calls})`));
  }
  const record = {
    batch: null,
    state: stateName,
    project,
    source_version: parameters.SourceVersion ?? null,
    env: parameters.EnvironmentVariablesOverride ?? null,
    attempts: calls,
    result: null,
  };
  builds.push(record);
  return new Promise((resolve, reject) => {
    running.push({
      record,
      finish: () => {
        const id = `${project}:stand-in-${builds.indexOf(record) + 1}`;
        if (args.fail.has(project)) {
          record.result = 'FAILED';
          reject(namedError('States.TaskFailed', `stand-in: build ${id} failed`));
        } else {
          record.result = 'SUCCEEDED';
          resolve({ Build: { Id: id, ProjectName: project, BuildStatus: 'SUCCEEDED',
                             SourceVersion: record.source_version } });
        }
      },
    });
  });
}

const handlers = {};
const retryIntervals = {};
for (const [name, state] of taskStates(definition.States)) {
  retryIntervals[name] = 0;
  if (typeof state.Resource === 'string' && state.Resource.startsWith(START_BUILD)) {
    handlers[name] = (parameters) => startBuild(name, parameters);
  } else {
    handlers[name] = async () => {
      throw namedError('Runner.NoStandIn',
                       `no local stand-in for Task ${name} (${state.Resource})`);
    };
  }
}

let finished = false;
async function finishBatches() {
  const tick = Math.max(1, Math.floor(args.idleMs / 5));
  while (!finished) {
    await sleep(tick);
    if (running.length > 0 && Date.now() - lastActivity >= args.idleMs) {
      const batch = running;
      running = [];
      for (const { record } of batch) record.batch = batches.length;
      batches.push(batch.map(({ record }) => record.project).sort());
      lastActivity = Date.now();
      for (const { finish } of batch) finish();
    }
  }
}

let report;
let status = 0;
try {
  const machine = new StateMachine(definition);
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryIntervals },
  });
  const timer = setTimeout(execution.abort, args.timeoutMs);
  const batching = finishBatches();
  try {
    const output = await execution.result;
    report = { status: 'SUCCEEDED', builds, batches, output };
  } finally {
    clearTimeout(timer);
    finished = true;
    await batching;
  }
} catch (error) {
  const cause = error.cause ?? error;
  report = { status: 'FAILED', builds, batches,
             error: { name: cause.name, message: cause.message ?? String(cause) } };
  status = 1;
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(status);
