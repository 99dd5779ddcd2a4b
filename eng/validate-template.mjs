#!/usr/bin/env node
// Checks a CloudFormation/SAM template against the resource specification in the npm package @aws-cdk/aws-service-spec
// (pinned in package-lock.json): unknown resource types, unknown or misspelled properties (nested ones too), Ref and
// Fn::GetAtt targets (also inside Fn::Sub), DependsOn targets and Lambda runtimes. Exits 1 and lists every problem
// found, or prints "template OK".
//
//   node eng/validate-template.mjs [template.yaml]
//
// The specification holds the SAM transform types (AWS::Serverless::*) with their properties, but no attributes: SAM
// turns each into a CloudFormation resource of the same logical id, so Fn::GetAtt on one is checked against that
// resource type (SAM_GENERATED_TYPES, from the SAM specification's "Referenceable properties" sections).
// The specification types Runtime as a plain string, so the runtime identifiers come from the Lambda documentation's
// list of supported runtimes (LAMBDA_RUNTIMES).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseDocument } from 'yaml';

const require = createRequire(import.meta.url);

/** The resource type SAM generates, under the same logical id, for each SAM resource type. */
const SAM_GENERATED_TYPES = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::LayerVersion': 'AWS::Lambda::LayerVersion',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::Application': 'AWS::CloudFormation::Stack',
};

/** Lambda runtime identifiers that can be used to create functions (Lambda developer guide, "Supported runtimes"). */
const LAMBDA_RUNTIMES = new Set([
  'dotnet8', 'dotnet10',
  'java8.al2', 'java11', 'java17', 'java21', 'java25',
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'ruby3.2', 'ruby3.3', 'ruby3.4',
  'provided.al2', 'provided.al2023',
]);

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region',
  'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);

const TOP_LEVEL_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions',
  'Transform', 'Globals', 'Resources', 'Outputs',
]);

const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Condition', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy',
  'UpdatePolicy', 'CreationPolicy', 'Connectors', 'IgnoreGlobals',
]);

const INTRINSIC_TAGS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'And', 'Or',
  'Not', 'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Cidr', 'Length', 'ToJsonString', 'Transform'];

function loadSpecification() {
  const file = path.join(path.dirname(require.resolve('@aws-cdk/aws-service-spec/package.json')), 'db.json.gz');
  const schema = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).schema;
  const resources = new Map(schema.resource.entities.map((r) => [r.cloudFormationType, r]));
  const types = new Map(schema.typeDefinition.entities.map((t) => [t.$id, t]));
  return { resources, types };
}

function yamlTags() {
  // Short-form intrinsics (!Ref X) become their long form ({ Ref: X }, { 'Fn::GetAtt': [...] }).
  return INTRINSIC_TAGS.flatMap((name) => {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    const resolve = (value) => {
      if (name === 'GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        return { [key]: [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [key]: value };
    };
    return ['scalar', 'seq', 'map'].map((collection) => ({
      tag: `!${name}`,
      collection: collection === 'scalar' ? undefined : collection,
      resolve: collection === 'scalar' ? (text) => resolve(text) : (node) => resolve(node.toJSON()),
    }));
  });
}

function parseTemplate(file) {
  const document = parseDocument(readFileSync(file, 'utf8'), { customTags: yamlTags(), uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new Error(document.errors.map((e) => e.message).join('\n'));
  }
  return document.toJS({ maxAliasCount: 100 });
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function suggestion(name, candidates) {
  let best = null;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d <= Math.max(2, Math.floor(name.length / 3)) && (best === null || d < best.d)) {
      best = { candidate, d };
    }
  }
  return best ? ` (did you mean '${best.candidate}'?)` : '';
}

function isIntrinsic(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

export function validate(template, spec) {
  const problems = [];
  const report = (where, message) => problems.push(`${where}: ${message}`);

  if (template === null || typeof template !== 'object') {
    return ['the template is not a YAML/JSON object'];
  }
  for (const section of Object.keys(template)) {
    if (!TOP_LEVEL_SECTIONS.has(section)) report(section, `unknown template section${suggestion(section, TOP_LEVEL_SECTIONS)}`);
  }

  const parameters = template.Parameters ?? {};
  const resources = template.Resources ?? {};
  const conditions = template.Conditions ?? {};
  if (Object.keys(resources).length === 0) report('Resources', 'the template declares no resources');

  const usesSam = Object.values(resources).some((r) => typeof r?.Type === 'string' && r.Type.startsWith('AWS::Serverless::'));
  const transforms = [].concat(template.Transform ?? []);
  if (usesSam && !transforms.includes('AWS::Serverless-2016-10-31')) {
    report('Transform', 'AWS::Serverless::* resources need "Transform: AWS::Serverless-2016-10-31"');
  }

  // Logical ids SAM adds (so they may be referenced): a function's role, the implicit APIs.
  const generated = new Map();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource?.Type === 'AWS::Serverless::Function') {
      if (!resource.Properties?.Role) generated.set(`${id}Role`, 'AWS::IAM::Role');
      for (const event of Object.values(resource.Properties?.Events ?? {})) {
        if (event?.Type === 'HttpApi' && !event.Properties?.ApiId) generated.set('ServerlessHttpApi', 'AWS::ApiGatewayV2::Api');
        if (event?.Type === 'Api' && !event.Properties?.RestApiId) generated.set('ServerlessRestApi', 'AWS::ApiGateway::RestApi');
      }
    }
  }

  const typeOfResource = (id) => {
    const declared = resources[id]?.Type;
    if (declared) return SAM_GENERATED_TYPES[declared] ?? declared;
    return generated.get(id);
  };

  const checkRef = (where, target) => {
    if (typeof target !== 'string') return report(where, 'Ref takes a logical id or parameter name');
    if (PSEUDO_PARAMETERS.has(target) || target in parameters || target in resources || generated.has(target)) return;
    report(where, `Ref to '${target}', which is neither a parameter, a resource nor a pseudo parameter${suggestion(target, [...Object.keys(parameters), ...Object.keys(resources), ...PSEUDO_PARAMETERS])}`);
  };

  const checkGetAtt = (where, id, attribute) => {
    if (typeof id !== 'string' || typeof attribute !== 'string') return; // computed attribute names are not checked
    const type = typeOfResource(id);
    if (!type) {
      return report(where, `Fn::GetAtt on '${id}', which is not a resource${suggestion(id, Object.keys(resources))}`);
    }
    const attributes = Object.keys(spec.resources.get(type)?.attributes ?? {});
    if (!attributes.includes(attribute)) {
      report(where, `Fn::GetAtt ${id}.${attribute}: ${type} has no attribute '${attribute}'${suggestion(attribute, attributes)} (it has: ${attributes.join(', ') || 'none'})`);
    }
  };

  const checkSub = (where, text, locals = {}) => {
    if (typeof text !== 'string') return;
    for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
      const name = match[1].trim();
      if (name in locals) continue;
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) checkGetAtt(where, name.slice(0, dot), name.slice(dot + 1));
      else checkRef(where, name);
    }
  };

  const checkIntrinsics = (where, value) => {
    if (Array.isArray(value)) return value.forEach((item, i) => checkIntrinsics(`${where}[${i}]`, item));
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref') checkRef(where, inner);
      else if (key === 'Fn::GetAtt') {
        if (Array.isArray(inner) && inner.length === 2) checkGetAtt(where, inner[0], inner[1]);
        else report(where, 'Fn::GetAtt takes [LogicalId, Attribute]');
      } else if (key === 'Fn::Sub') {
        if (Array.isArray(inner)) {
          checkSub(where, inner[0], inner[1] ?? {});
          checkIntrinsics(where, inner[1]);
        } else checkSub(where, inner);
        continue;
      } else if (key === 'Condition' && typeof inner === 'string' && isIntrinsic(value) && !(inner in conditions)) {
        report(where, `Condition '${inner}' is not declared`);
      } else if (key === 'Fn::If' && Array.isArray(inner) && typeof inner[0] === 'string' && !(inner[0] in conditions)) {
        report(where, `Fn::If on condition '${inner[0]}', which is not declared${suggestion(inner[0], Object.keys(conditions))}`);
      }
      checkIntrinsics(`${where}.${key}`, inner);
    }
  };

  // Does `value` fit `type`? Returns the problems; intrinsic functions fit any type.
  const fit = (where, value, type, depth = 0) => {
    if (value === undefined || value === null || isIntrinsic(value) || depth > 40) return [];
    switch (type.type) {
      case 'json':
      case 'string':
      case 'number':
      case 'integer':
      case 'boolean':
      case 'date-time':
      case 'null':
      case 'tag':
        return [];
      case 'array':
        return Array.isArray(value) ? value.flatMap((item, i) => fit(`${where}[${i}]`, item, type.element, depth + 1)) : fit(where, value, type.element, depth + 1);
      case 'map':
        return typeof value === 'object' && !Array.isArray(value)
          ? Object.entries(value).flatMap(([k, v]) => fit(`${where}.${k}`, v, type.element, depth + 1))
          : [`${where}: expected a map`];
      case 'union': {
        const attempts = type.types.map((member) => fit(where, value, member, depth + 1));
        const fitting = attempts.find((a) => a.length === 0);
        if (fitting) return [];
        return attempts.reduce((best, a) => (a.length < best.length ? a : best));
      }
      case 'ref':
        return fitProperties(where, value, spec.types.get(type.reference.$ref)?.properties ?? {}, depth + 1);
      default:
        return [];
    }
  };

  const fitProperties = (where, value, properties, depth) => {
    if (typeof value !== 'object' || Array.isArray(value)) {
      return typeof value === 'object' ? [`${where}: expected an object, found a list`] : [];
    }
    const problemsHere = [];
    const known = Object.keys(properties);
    for (const [name, inner] of Object.entries(value)) {
      if (!(name in properties)) {
        problemsHere.push(`${where}.${name}: unknown property '${name}'${suggestion(name, known)}`);
        continue;
      }
      problemsHere.push(...fit(`${where}.${name}`, inner, properties[name].type, depth));
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in value)) problemsHere.push(`${where}: required property '${name}' is missing`);
    }
    return problemsHere;
  };

  const checkRuntime = (where, runtime) => {
    if (runtime === undefined || isIntrinsic(runtime)) return;
    if (!LAMBDA_RUNTIMES.has(runtime)) {
      report(where, `'${runtime}' is not a Lambda runtime${suggestion(String(runtime), LAMBDA_RUNTIMES)}`);
    }
  };

  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}`;
    if (resource === null || typeof resource !== 'object') {
      report(where, 'a resource must be an object with a Type');
      continue;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) report(where, `unknown resource attribute '${key}'${suggestion(key, RESOURCE_KEYS)}`);
    }
    const definition = spec.resources.get(resource.Type);
    if (!definition) {
      report(where, `unknown resource type '${resource.Type}'${suggestion(String(resource.Type), spec.resources.keys())}`);
      continue;
    }
    for (const problem of fitProperties(`${where}.Properties`, resource.Properties ?? {}, definition.properties, 0)) {
      problems.push(problem);
    }
    for (const dependency of [].concat(resource.DependsOn ?? [])) {
      if (!(dependency in resources)) report(`${where}.DependsOn`, `'${dependency}' is not a resource${suggestion(dependency, Object.keys(resources))}`);
    }
    if (resource.Condition !== undefined && !(resource.Condition in conditions)) {
      report(`${where}.Condition`, `condition '${resource.Condition}' is not declared`);
    }
    if (resource.Type === 'AWS::Serverless::Function' || resource.Type === 'AWS::Lambda::Function') {
      checkRuntime(`${where}.Properties.Runtime`, resource.Properties?.Runtime);
    }
    checkIntrinsics(`${where}.Properties`, resource.Properties);
  }

  // A secret in an environment variable is readable, in clear, by anyone who may read the function's configuration.
  const secretIn = (value) => {
    if (isIntrinsic(value) && 'Ref' in value) return typeof value.Ref === 'string' && String(parameters[value.Ref]?.NoEcho) === 'true' ? `the NoEcho parameter '${value.Ref}'` : null;
    const text = JSON.stringify(value ?? null);
    const dynamic = text.match(/\{\{resolve:(secretsmanager|ssm-secure):/);
    return dynamic ? `a ${dynamic[1]} dynamic reference` : null;
  };
  const checkEnvironment = (where, variables) => {
    for (const [name, value] of Object.entries(variables ?? {})) {
      const secret = secretIn(value);
      if (secret) report(`${where}.${name}`, `${secret} in an environment variable is stored in the function's configuration in clear; give the function the secret's name or ARN and read it at startup`);
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    if (resource?.Type === 'AWS::Serverless::Function' || resource?.Type === 'AWS::Lambda::Function') {
      checkEnvironment(`Resources.${id}.Properties.Environment.Variables`, resource.Properties?.Environment?.Variables);
    }
  }
  checkEnvironment('Globals.Function.Environment.Variables', template.Globals?.Function?.Environment?.Variables);

  checkRuntime('Globals.Function.Runtime', template.Globals?.Function?.Runtime);
  checkIntrinsics('Globals', template.Globals);
  checkIntrinsics('Conditions', conditions);
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (output?.Value === undefined) report(`Outputs.${id}`, 'an output needs a Value');
    checkIntrinsics(`Outputs.${id}`, output);
  }
  for (const [id, parameter] of Object.entries(parameters)) {
    if (!parameter?.Type) report(`Parameters.${id}`, 'a parameter needs a Type');
  }
  return problems;
}

function main() {
  const file = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'template.yaml');
  let template;
  try {
    template = parseTemplate(file);
  } catch (error) {
    console.error(`${file}: not a readable YAML template: ${error.message}`);
    process.exit(1);
  }
  const problems = validate(template, loadSpecification());
  if (problems.length > 0) {
    console.error(`${file}: ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`${file}: template OK (${Object.keys(template.Resources).length} resources checked against @aws-cdk/aws-service-spec)`);
}

main();
