// Types for install.mjs (used by the TypeScript e2e runner).
export declare const CODE_SERVER_VERSION: string;
export declare const cacheDir: string;
export declare const codeServerPaths: {
  nodeHome: string;
  node: string;
  entry: string;
  packageJson: string;
  marker: string;
};
export declare function isCodeServerInstalled(): boolean;
export declare function ensureCodeServer(): { node: string; entry: string };
