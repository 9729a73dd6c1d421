/**
 * A flag that takes one of a fixed set of values (`--mode`, `--format`...), declared with commander's `.choices()`:
 * `--help` lists the values and any other value is refused before the command runs ("argument 'x' is invalid.
 * Allowed choices are ...").
 */
import { Option } from 'commander';

export function choice(flags: string, description: string, values: readonly string[], defaultValue?: string): Option {
  const option = new Option(flags, description).choices(values);
  return defaultValue === undefined ? option : option.default(defaultValue);
}
