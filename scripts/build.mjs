// Bundles the extension with esbuild. The AWS SDK goes into its own file, dist/awsSdk.js,
// which the extension requires only on first use, so activation never parses it.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

/** Keep `./awsSdk` out of the main bundle: it is loaded lazily from dist/awsSdk.js. */
const lazySdk = {
  name: 'lazy-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /(^|\/)awsSdk$/ }, (args) => (args.importer.endsWith('awsSdk.ts') ? undefined : { path: './awsSdk.js', external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  legalComments: 'none',
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazySdk] }),
  esbuild.build({ ...common, entryPoints: ['src/core/aws/awsSdk.ts'], outfile: 'dist/awsSdk.js' }),
]);
