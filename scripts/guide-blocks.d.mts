/** A ```ts or ```js block of a guide. */
export interface CodeBlock {
  /** The fence's language: ts, typescript, js or javascript. */
  lang: string;
  /** The 1-based line of the opening fence. */
  line: number;
  code: string;
  /** Why the block is not run (the text after `no-run`), or null when it runs. */
  noRun: string | null;
}
export declare const ROOT: string;
export declare function codeBlocks(markdown: string): CodeBlock[];
/** docs/*.md, then README.md, relative to the repository. */
export declare function guideFiles(): string[];
export declare function guideBlocks(): (CodeBlock & { file: string })[];
