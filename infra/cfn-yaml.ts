/** A js-yaml schema that reads CloudFormation's short-form tags (!Ref, !Sub, !If, ...) as their long form. */
import yaml from 'js-yaml';

export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Select', 'Split'].flatMap((name) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) =>
        new yaml.Type(`!${name}`, {
          kind,
          construct: (data: unknown) => ({ [name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`]: data }),
        }),
    ),
  ),
);

export function loadCfnYaml(text: string): unknown {
  return yaml.load(text, { schema: CFN_SCHEMA });
}
