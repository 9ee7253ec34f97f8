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
//   --s3-copy S3URI DIR
//                    DIR was copied to S3URI (s3://BUCKET/PREFIX): a Distributed
//                    Map's ItemReader reads s3://BUCKET/PREFIX/KEY from DIR/KEY.
//                    The runner has no Distributed Map, so each Map with an
//                    ItemReader runs as an inline Map over the items read by a
//                    stand-in Task put before it; its item processor's states
//                    are run as they are.
//   --timeout-ms MS  give up on the execution after this long (default 60000)
//   --ledger FILE    the build ledger's DynamoDB getItem and putItem Tasks read
//                    and write FILE, a JSON object of tables, each a list of
//                    items in DynamoDB's attribute-value form ({"service":
//                    {"S": ...}, ...}), keyed by service and fingerprint; a
//                    missing FILE is an empty ledger. $$.State.EnteredTime is
//                    the time the run started.
//   --ledger-error getItem|putItem
//                    that ledger operation fails (DynamoDB.AmazonDynamoDBException,
//                    as for a missing permission); repeatable
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
//    "output": <execution output>, or "error": {"name", "message"},
//    "output_bytes": size of the output as JSON,
//    "largest_state": {"name", "bytes"}: the largest input or output of any
//                     state, as JSON (Step Functions' limit is 262144),
//    "events": how many state events the execution logged,
//    "ledger": {"getItem": calls, "putItem": calls}}
// A build whose batch and result are null was still running when the
// execution ended. After a failed iteration the local runner still starts the
// Map iterations it had queued (Step Functions does not), so only `batches`,
// the builds that finished, says what ran before a failure.
// Exit status: 0 the execution succeeded, 1 it failed, 2 usage or unreadable input.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const START_BUILD = 'arn:aws:states:::codebuild:startBuild';
const DYNAMODB = 'arn:aws:states:::dynamodb:';
const LEDGER_OPERATIONS = ['getItem', 'putItem'];
const LEDGER_KEYS = ['service', 'fingerprint'];

function usage(message) {
  console.error(`run_state_machine: ${message}`);
  console.error('usage: node run_state_machine.mjs DEFINITION.json INPUT.json ' +
                '[--fail PROJECT]... [--throttle N] [--idle-ms MS] [--timeout-ms MS] ' +
                '[--s3-copy S3URI DIR] [--ledger FILE] [--ledger-error getItem|putItem]...');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { files: [], fail: new Set(), throttle: 0, idleMs: 50, timeoutMs: 60000,
                 s3: null, ledger: null, ledgerErrors: new Set() };
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
    else if (arg === '--ledger') args.ledger = value();
    else if (arg === '--ledger-error') {
      const operation = value();
      if (!LEDGER_OPERATIONS.includes(operation)) {
        usage(`--ledger-error needs getItem or putItem, not ${operation}`);
      }
      args.ledgerErrors.add(operation);
    }
    else if (arg === '--s3-copy') {
      const uri = value();
      const match = /^s3:\/\/([^/]+)(?:\/(.*?))?\/?$/.exec(uri);
      if (!match) usage(`--s3-copy needs s3://BUCKET/PREFIX, not ${uri}`);
      args.s3 = { bucket: match[1], prefix: match[2] ?? '', dir: value() };
    }
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

// Every Next-like field of `state` that names another state.
function* targets(state) {
  if (state.Next) yield [state, 'Next'];
  if (state.Default) yield [state, 'Default'];
  for (const rule of [...(state.Choices ?? []), ...(state.Catch ?? [])]) {
    if (rule.Next) yield [rule, 'Next'];
  }
}

// Runs each Map with an ItemReader as an inline Map over what a stand-in Task
// before it reads from the --s3-copy directory (see the options above).
function inlineItemReaders(machine, readers) {
  for (const [name, state] of Object.entries(machine.States)) {
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) inlineItemReaders(processor, readers);
    if (!(state.Type === 'Map' && state.ItemReader)) continue;
    const reader = `${name} ItemReader`;
    machine.States[reader] = {
      Type: 'Task', Resource: state.ItemReader.Resource, Parameters: state.ItemReader.Parameters,
      ResultPath: '$.runnerItems', Next: name,
    };
    readers.add(reader);
    delete state.ItemReader;
    state.ItemsPath = '$.runnerItems';
    processor.ProcessorConfig = { Mode: 'INLINE' };
    if (machine.StartAt === name) machine.StartAt = reader;
    for (const [other, otherState] of Object.entries(machine.States)) {
      if (other === reader) continue;
      for (const [holder, field] of targets(otherState)) {
        if (holder[field] === name) holder[field] = reader;
      }
    }
  }
}

function readS3Copy({ Bucket, Key }) {
  const { bucket, prefix, dir } = args.s3 ?? usage('the definition reads S3: give --s3-copy');
  const start = prefix === '' ? '' : `${prefix}/`;
  if (Bucket !== bucket || !Key.startsWith(start)) {
    throw namedError('S3.NoSuchKey', `stand-in: s3://${Bucket}/${Key} is not under --s3-copy`);
  }
  return JSON.parse(readFileSync(`${dir}/${Key.slice(start.length)}`, 'utf8'));
}

// The ledger's stand-in: DynamoDB's GetItem and PutItem over the --ledger file,
// strict about the shape a real table would reject.
const ledgerCalls = { getItem: 0, putItem: 0 };

function readLedger() {
  if (args.ledger === null) usage('the definition uses the build ledger: give --ledger FILE');
  return existsSync(args.ledger) ? JSON.parse(readFileSync(args.ledger, 'utf8')) : {};
}

function keyOf(table, attributes, operation) {
  if (typeof table !== 'string' || table === '') {
    throw namedError('DynamoDB.ValidationException', `stand-in: ${operation} without a TableName`);
  }
  const key = {};
  for (const name of LEDGER_KEYS) {
    const value = attributes?.[name]?.S;
    if (typeof value !== 'string' || value === '') {
      throw namedError('DynamoDB.ValidationException',
                       `stand-in: ${operation} on ${table} without a string ${name}`);
    }
    key[name] = value;
  }
  return key;
}

const sameKey = (item, key) => LEDGER_KEYS.every((name) => item[name].S === key[name]);

function ledgerCall(operation, parameters) {
  lastActivity = Date.now();
  ledgerCalls[operation] += 1;
  if (args.ledgerErrors.has(operation)) {
    throw namedError('DynamoDB.AmazonDynamoDBException',
                     `stand-in: not authorized to perform dynamodb:${operation[0].toUpperCase()}` +
                     `${operation.slice(1)}`);
  }
  const ledger = readLedger();
  const table = parameters.TableName;
  if (operation === 'getItem') {
    if (Object.keys(parameters.Key ?? {}).length !== LEDGER_KEYS.length) {
      throw namedError('DynamoDB.ValidationException', 'stand-in: the key is not (service, fingerprint)');
    }
    const key = keyOf(table, parameters.Key, operation);
    const item = (ledger[table] ?? []).find((stored) => sameKey(stored, key));
    return item === undefined ? {} : { Item: item };
  }
  const item = parameters.Item ?? {};
  const key = keyOf(table, item, operation);
  for (const [name, value] of Object.entries(item)) {
    if (typeof value?.S !== 'string') {
      throw namedError('DynamoDB.ValidationException', `stand-in: attribute ${name} is not {"S": string}`);
    }
  }
  ledger[table] = [...(ledger[table] ?? []).filter((stored) => !sameKey(stored, key)), item];
  writeFileSync(args.ledger, `${JSON.stringify(ledger, null, 2)}\n`);
  return {};
}

const args = parseArgs(process.argv.slice(2));
const definition = readJson(args.files[0]);
const readers = new Set();
inlineItemReaders(definition, readers);
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
        // As long as a real build id (project:UUID), so sizes measured here hold.
        const id = `${project}:stand-in-${builds.indexOf(record) + 1}`.padEnd(project.length + 37, '-');
        if (args.fail.has(project)) {
          record.result = 'FAILED';
          // As AWS reports a failed startBuild.sync: the build, as JSON, in the cause.
          reject(namedError('States.TaskFailed', JSON.stringify(
            { Build: { Id: id, ProjectName: project, BuildStatus: 'FAILED' } })));
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
  if (readers.has(name)) {
    handlers[name] = async (parameters) => readS3Copy(parameters);
  } else if (typeof state.Resource === 'string' && state.Resource.startsWith(START_BUILD)) {
    handlers[name] = (parameters) => startBuild(name, parameters);
  } else if (LEDGER_OPERATIONS.some((operation) => state.Resource === DYNAMODB + operation)) {
    const operation = state.Resource.slice(DYNAMODB.length);
    handlers[name] = async (parameters) => ledgerCall(operation, parameters);
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

// The largest input or output any state had, measured as Step Functions does:
// the size of its JSON text.
const sizes = { events: 0, largest: { name: null, bytes: 0 } };
async function measureStates(eventLogs) {
  for await (const event of eventLogs) {
    if (!event.state) continue;
    sizes.events += 1;
    const data = event.type === 'StateEntered' ? event.state.input : event.state.output;
    if (data === undefined) continue;
    const bytes = Buffer.byteLength(JSON.stringify(data));
    if (bytes > sizes.largest.bytes) sizes.largest = { name: event.state.name, bytes };
  }
}

let report;
let status = 0;
let measuring = Promise.resolve();
try {
  const machine = new StateMachine(definition);
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryIntervals },
    context: { State: { EnteredTime: new Date().toISOString() } },
  });
  measuring = measureStates(execution.eventLogs);
  const timer = setTimeout(execution.abort, args.timeoutMs);
  const batching = finishBatches();
  try {
    const output = await execution.result;
    report = { status: 'SUCCEEDED', builds, batches, output,
               output_bytes: Buffer.byteLength(JSON.stringify(output)) };
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
await measuring.catch(() => {});
report.largest_state = sizes.largest;
report.events = sizes.events;
report.ledger = ledgerCalls;
// Exit once the report is written: a pipe takes a large one in several writes.
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`, () => process.exit(status));
