// Checks CloudFormation templates (JSON) against the resource specification
// that @aws-cdk/aws-service-spec ships: every resource type exists, and every
// property, at any depth, is one the type (or the property type it nests)
// declares; required properties are present. Values that are intrinsic
// functions ({"Ref"}, {"Fn::..."}) are not looked into: CloudFormation
// resolves them at deploy time.
//
//   node check_template.mjs TEMPLATE.json...
//
// Prints one line per valid template and one line per problem on stderr.
// Exit status: 0 all valid, 1 problems, 2 a file could not be read.
import { readFileSync } from 'node:fs';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check_template.mjs TEMPLATE.json...');
  process.exit(2);
}

const db = await loadAwsServiceSpec();

const isIntrinsic = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  (Object.keys(value)[0] === 'Ref' || Object.keys(value)[0].startsWith('Fn::'));

// Checks `value` against a property type of the specification; `where` names it.
function checkType(type, value, where, problems) {
  if (value === undefined || isIntrinsic(value)) return;
  switch (type.type) {
    case 'ref': {
      const definition = db.get('typeDefinition', type.reference.$ref);
      checkProperties(definition.properties, value, where, problems);
      return;
    }
    case 'array':
      if (Array.isArray(value)) {
        value.forEach((element, i) => checkType(type.element, element, `${where}[${i}]`, problems));
      }
      return;
    case 'map':
      if (value && typeof value === 'object') {
        for (const [key, element] of Object.entries(value)) {
          checkType(type.element, element, `${where}.${key}`, problems);
        }
      }
      return;
    case 'union':
      // Accept the value when any member type takes it without a problem.
      if (!type.types.some((member) => {
        const found = [];
        checkType(member, value, where, found);
        return found.length === 0;
      })) {
        problems.push(`${where}: matches none of its possible types`);
      }
      return;
    default:
      return;  // string, number, boolean, json, date-time, ...: no properties to check
  }
}

function checkProperties(properties, value, where, problems) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: an object was expected`);
    return;
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) problems.push(`${where}: ${name} is required`);
  }
  for (const [name, inner] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      const known = Object.keys(properties).sort().join(', ');
      problems.push(`${where}.${name}: no such property (known: ${known})`);
      continue;
    }
    checkType(property.type, inner, `${where}.${name}`, problems);
  }
}

let status = 0;
for (const file of files) {
  let template;
  try {
    template = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    status = 2;
    continue;
  }
  const problems = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const where = `Resources.${logicalId}`;
    const found = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length !== 1) {
      problems.push(`${where}: no resource type ${resource.Type}`);
      continue;
    }
    checkProperties(found[0].properties, resource.Properties ?? {}, `${where}.Properties`,
                    problems);
  }
  if (Object.keys(template.Resources ?? {}).length === 0) problems.push('no Resources');
  if (problems.length === 0) {
    console.log(`${file}: valid (${Object.keys(template.Resources).length} resources)`);
  } else {
    for (const problem of problems) console.error(`${file}: ${problem}`);
    status = Math.max(status, 1);
  }
}
process.exit(status);
