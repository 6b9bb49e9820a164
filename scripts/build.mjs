// Builds the server (tsc → dist/server), copies its document templates, and builds the web app
// (vite → dist/web). Skips a part whose output is newer than every source file, so `npm start`
// after a first build starts in a second.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const force = process.argv.includes('--force');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function stamp(file) {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

function run(label, cmd, args) {
  process.stdout.write(`› ${label}…\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`Build step failed: ${label}`);
    process.exit(r.status ?? 1);
  }
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const deps = Math.max(stamp(path.join(root, 'package-lock.json')), stamp(path.join(root, 'tsconfig.json')));

const serverStamp = path.join(root, 'dist', 'server', '.built');
if (force || stamp(serverStamp) < Math.max(newest(path.join(root, 'src')), deps)) {
  fs.rmSync(path.join(root, 'dist', 'server'), { recursive: true, force: true });
  run('server (tsc)', bin('tsc'), ['-p', 'tsconfig.build.json']);
  fs.cpSync(
    path.join(root, 'src', 'documents', 'templates'),
    path.join(root, 'dist', 'server', 'documents', 'templates'),
    {
      recursive: true,
    },
  );
  fs.writeFileSync(serverStamp, new Date().toISOString());
} else {
  process.stdout.write('› server is up to date\n');
}

const webStamp = path.join(root, 'dist', 'web', '.built');
if (force || stamp(webStamp) < Math.max(newest(path.join(root, 'web')), deps)) {
  run('web app (vite)', bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
  fs.writeFileSync(webStamp, new Date().toISOString());
} else {
  process.stdout.write('› web app is up to date\n');
}
