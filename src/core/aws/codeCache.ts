// Loads a big CommonJS file (the AWS SDK bundle, dist/awsSdk.js: ~500 kB) without the long pause a
// plain require makes: V8 parses and compiles the file in a worker thread, which runs it once and
// hands back V8's code cache (the compiled functions); the extension host's own thread then only
// deserializes that and runs the module's top level. Measured on a fresh Node: compile ~120–260 ms
// plus run ~130–460 ms before, ~0 ms plus ~80–140 ms with the cache (on a loaded 2-core machine).
// Any failure (no worker threads, a rejected cache) falls back to what a require would do.
import { readFile } from 'node:fs/promises';
import { Module, createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';

/** Compiles and runs the file like Node's CommonJS loader, then posts the code cache back. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const path = require('node:path');
const { Module, createRequire } = require('node:module');
const { file, source } = workerData;
const script = new vm.Script(Module.wrap(source), { filename: file });
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
parentPort.postMessage(script.createCachedData());
`;

function codeCacheOf(file: string, source: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER, { eval: true, workerData: { file, source }, stdout: true, stderr: true });
    } catch {
      return resolve(undefined);
    }
    // Its copy of the module is of no further use: it ends as soon as it answered.
    worker.once('message', (data: Uint8Array) => {
      resolve(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      void worker.terminate();
    });
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `require(file)` with its parsing and compiling done off this thread; registered in require.cache like a require. */
export async function requireWithCodeCache<T>(file: string): Promise<T> {
  const cached = require.cache[file];
  if (cached?.loaded) return cached.exports as T;
  const source = await readFile(file, 'utf8');
  const cachedData = await codeCacheOf(file, source);
  await nextTurn();
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  await nextTurn();
  const mod = new Module(file);
  mod.filename = file;
  require.cache[file] = mod;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  return mod.exports as T;
}
