'use strict';

// The mesh view in a real browser, for MeshViewBrowserTest: Debian's Chromium, headless, driven by playwright-core.
// Commands, one JSON object a line on standard input; events, one a line on standard output (json-lines.js):
//   {"open": {"url"}}                          -> {"event": "opened", "view"} once the page is connected to the bus
//   {"await": {"id", "selfId"?, "peers"?: [{"peerId"?, "protocol"?, "state"?, "bytesInAbove"?, "bytesOutAbove"?}],
//              "absent"?: [peerId], "timeoutMs"}} -> {"event": "awaited", "id", "view"} once the page shows all of that
//                                                (a row that matches each of "peers"), or {"event": "error", "id",
//                                                "message", "view"} at the deadline
//   {"view": {"id"}}                           -> {"event": "view", "id", "view"}: what the page shows now
//   {"screenshot": {"id", "path"}}             -> {"event": "screenshot", "id", "path"}
//   {"closePage": {"id"}}                      -> {"event": "pageClosed", "id"}: as a user closes the tab, before the
//                                                harness ends the browser's processes
// The page's console lines and errors come as {"event": "console", "type", "text"} and {"event": "pageError"}.
// Options: --chromium FILE (default: chromium on the PATH), --width and --height of the window (1280 x 900).
// The browser starts with a fresh profile and none of its background connections, which a closed network refuses.

const fs = require('fs');
const os = require('os');
const path = require('path');
const {chromium} = require('playwright-core');
const {emit, describe, parseOptions, readCommands} = require('../json-lines.js');

/** Where {@code name} is on the PATH, as the shell would find it: install.sh puts Debian's Chromium there. */
function onPath(name) {
  const found = (process.env.PATH || '').split(path.delimiter).map((dir) => path.join(dir, name))
      .find((file) => fs.existsSync(file));
  if (!found) throw new Error(`${name} is not on the PATH (bash src/interop/install.sh chromium installs it)`);
  return found;
}

const option = parseOptions(process.argv.slice(2), [], 'MESH_VIEW_');
const executablePath = option('chromium', null) || onPath('chromium');
const viewport = {width: Number(option('width', '1280')), height: Number(option('height', '900'))};

let context = null;
let page = null;
let profile = null;

/**
 * What the page shows, read from its DOM: the node, the bus, every peer row with its counters, the members; when
 * {@code spec} is given, only once the page shows what it asks, and null before. Self-contained, as it runs in the
 * page: Playwright passes it as a function, which the page's Content-Security-Policy lets run (a string would be
 * eval'd, which the policy refuses).
 */
function viewShowing(spec) {
  const number = (row, field) => {
    const cell = row.querySelector(`td[data-field="${field}"]`);
    return cell && cell.dataset.value !== undefined ? Number(cell.dataset.value) : null;
  };
  const text = (row, field) => {
    const cell = row.querySelector(`td[data-field="${field}"]`);
    return cell ? cell.textContent : null;
  };
  const view = {
    nodeId: document.getElementById('node-id').dataset.peerId || null,
    nodeText: document.getElementById('node-id').textContent,
    bus: document.getElementById('bus').dataset.state,
    busText: document.getElementById('bus').textContent,
    peers: Array.from(document.querySelectorAll('#peers tbody tr.peer')).map((row) => ({
      protocol: row.dataset.protocol,
      peer: row.dataset.peer,
      peerId: row.dataset.peerId || null,
      state: row.dataset.state,
      direction: text(row, 'direction'),
      bytesIn: number(row, 'bytesIn'),
      bytesOut: number(row, 'bytesOut'),
      framesIn: number(row, 'framesIn'),
      framesOut: number(row, 'framesOut'),
    })),
    drawnPeers: document.querySelectorAll('#graph g.peer').length,
    protocols: Array.from(document.querySelectorAll('#protocols tbody tr')).map((row) => row.dataset.protocol),
    members: Array.from(document.querySelectorAll('#members li')).map((item) => item.dataset.member),
  };
  if (!spec) return view;
  if (spec.selfId && view.nodeId !== spec.selfId) return null;
  const matches = (row, wanted) => ['peerId', 'protocol', 'state'].every((field) =>
      wanted[field] === undefined || row[field] === wanted[field])
      && (wanted.bytesInAbove === undefined || row.bytesIn > wanted.bytesInAbove)
      && (wanted.bytesOutAbove === undefined || row.bytesOut > wanted.bytesOutAbove);
  if (!(spec.peers || []).every((wanted) => view.peers.some((row) => matches(row, wanted)))) return null;
  const absent = (spec.absent || []).every((peerId) => !view.peers.some((row) => row.peerId === peerId));
  return absent ? view : null;
}

const readView = () => page.evaluate(viewShowing, null);

async function open({url}) {
  if (!context) {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'peermesh-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] || await context.newPage();
    page.on('console', (message) => emit({event: 'console', type: message.type(), text: message.text()}));
    page.on('pageerror', (err) => emit({event: 'pageError', message: describe(err)}));
  }
  await page.goto(url);
  await page.waitForSelector('#bus[data-state="open"]', {timeout: 30000});
  emit({event: 'opened', url, view: await readView()});
}

async function awaitView(spec) {
  try {
    const shown = await page.waitForFunction(viewShowing, spec, {timeout: spec.timeoutMs || 30000, polling: 100});
    emit({event: 'awaited', id: spec.id, view: await shown.jsonValue()});
  } catch (err) {
    emit({event: 'error', id: spec.id, message: describe(err), view: await readView()});
  }
}

async function onCommand(command) {
  if (command.open) {
    await open(command.open);
  } else if (command.await) {
    await awaitView(command.await);
  } else if (command.view) {
    emit({event: 'view', id: command.view.id, view: await readView()});
  } else if (command.screenshot) {
    await page.screenshot({path: command.screenshot.path, fullPage: true});
    emit({event: 'screenshot', id: command.screenshot.id, path: command.screenshot.path});
  } else if (command.closePage) {
    await page.close();
    page = null;
    emit({event: 'pageClosed', id: command.closePage.id});
  } else {
    throw new Error('unknown command (expected open, await, view, screenshot or closePage)');
  }
}

let closing = null;

/** Once, whether standard input closed or SIGTERM came (the harness does both). */
function close() {
  closing = closing || (async () => {
    try {
      // The page first, as a user closes a tab: its socket to the node ends with a close frame, not a reset.
      if (page) await page.close();
      if (context) await context.close();
    } finally {
      if (profile) fs.rmSync(profile, {recursive: true, force: true});
      process.exit(0);
    }
  })();
  return closing;
}

process.on('SIGTERM', close);
readCommands(onCommand, close);
emit({event: 'ready'});
