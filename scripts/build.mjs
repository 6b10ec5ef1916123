// Bundles the extension with esbuild. The AWS SDK goes into its own file, dist/awsSdk.js,
// which the extension requires only on first use, so activation never parses it.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

/** Keep `./awsSdk` and `./awsSdkReview` out of the main bundle: loaded lazily from dist/awsSdk*.js. */
const lazySdk = {
  name: 'lazy-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /(^|\/)awsSdk(Review)?$/ }, (args) => ({ path: `./${args.path.split('/').pop()}.js`, external: true }));
  },
};

/**
 * VS Code's extension host patches node's http/https in place (@vscode/proxy-agent, http.proxySupport
 * "override" by default): every request's agent is replaced by its own proxy agent, which would drop
 * ours and with it AWS_CA_BUNDLE/ca_bundle, and proxy by its own rules. Our handler already follows
 * http.proxy/http.noProxy/http.proxyStrictSSL and the proxy environment (src/core/aws/network.ts), so
 * the SDK's NodeHttpHandler calls the originals VS Code keeps (`__vscodeOriginal`, seen in VS Code
 * 1.100 and 1.139): one proxy hop, decided in one place. Outside VS Code the module is unpatched.
 */
const unpatchedHttp = {
  name: 'unpatched-node-http',
  setup(build) {
    build.onResolve({ filter: /^(node:)?https?$/ }, (args) =>
      /[\\/]@smithy[\\/]node-http-handler[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'unpatched-http' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'unpatched-http' }, (args) => ({
      contents: `const m = require('node:${args.path}');
const original = () => m.__vscodeOriginal || m;
module.exports = { ...m, Agent: m.Agent, default: undefined, request: (...a) => original().request(...a), get: (...a) => original().get(...a) };`,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
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

const bundles = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazySdk] },
  { ...common, entryPoints: ['src/core/aws/awsSdk.ts'], outfile: 'dist/awsSdk.js', plugins: [unpatchedHttp] },
  // IAM and CloudTrail, rarely called: their own file, so the first load above stays short.
  { ...common, entryPoints: ['src/core/aws/awsSdkReview.ts'], outfile: 'dist/awsSdkReview.js', plugins: [unpatchedHttp] },
  // The vscode:uninstall hook: plain Node, no vscode module.
  { ...common, entryPoints: ['src/uninstall.ts'], outfile: 'dist/uninstall.js', plugins: [] },
];

if (process.argv.includes('--watch')) {
  // `npm run watch`: rebuilds dist/ on every save (F5 "Run Extension" then reloads the window).
  const announce = {
    name: 'announce',
    setup(build) {
      build.onStart(() => console.log('[watch] build started'));
      build.onEnd((result) => console.log(`[watch] build ${result.errors.length ? 'failed' : 'done'} ${new Date().toLocaleTimeString()}`));
    },
  };
  for (const options of bundles) await (await esbuild.context({ ...options, plugins: [...options.plugins, announce] })).watch();
} else {
  await Promise.all(bundles.map((options) => esbuild.build(options)));
}
