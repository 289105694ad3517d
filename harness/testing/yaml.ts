/**
 * A YAML parser for tests that read the project's own YAML files (the GitHub Actions workflow, the
 * k6-operator manifest).
 *
 * The parser is eemeli's `yaml` (ISC). It is not a dependency of its own yet: playwright-core, already a
 * pinned devDependency, bundles yaml 2.9.0 and exports it from `playwright-core/lib/utilsBundle`.
 * Reaching into that bundle is the one stopgap here: once `yaml` is added to devDependencies this file
 * becomes `export { parse as parseYaml } from 'yaml';` and nothing else changes.
 */
import { createRequire } from 'node:module';

interface YamlModule {
  parse(text: string): unknown;
}

const { yaml } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as { yaml: YamlModule };

/** Parses one YAML document; throws on a syntax error, with the line and column. */
export function parseYaml(text: string): unknown {
  return yaml.parse(text);
}
