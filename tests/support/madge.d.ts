// madge 8 ships no types; the part of its API tests/import-cycles.test.ts uses
// (https://github.com/pahen/madge#api).
declare module "madge" {
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    tsConfig?: string | object;
    excludeRegExp?: RegExp[];
  }
  interface MadgeInstance {
    /** Every module and the modules it imports (paths relative to the base directory). */
    obj(): Record<string, string[]>;
    /** The cycles, each as the list of modules on it. */
    circular(): string[][];
    /** Imports madge could not resolve to a file. */
    warnings(): { skipped: string[] };
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeInstance>;
}
