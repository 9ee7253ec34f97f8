// Checks Amazon States Language definitions with asl-validator (JSONPath and
// ARN checks on).
//
//   node validate_asl.mjs DEFINITION.json...
//
// Prints one line per valid file on stdout and the problems of an invalid one
// on stderr. Exit status: 0 all valid, 1 one or more invalid, 2 a file could
// not be read or is not JSON, or no file was given.
import { readFileSync } from 'node:fs';
import validator from 'asl-validator';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate_asl.mjs DEFINITION.json...');
  process.exit(2);
}

let status = 0;
for (const file of files) {
  let definition;
  try {
    definition = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    status = 2;
    continue;
  }
  // The validator writes default fields (QueryLanguage) into what it checks.
  const result = validator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (result.isValid) {
    console.log(`${file}: valid`);
  } else {
    console.error(`${file}: invalid:\n${result.errorsText('\n')}`);
    status = Math.max(status, 1);
  }
}
process.exit(status);
