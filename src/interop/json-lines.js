'use strict';

// What every interop script shares with its Java harness (org.peermesh.testing.JsonLinesProcess): one JSON event per
// line on standard output, one JSON command per line on standard input, options as `--name value` or from the
// environment, and an exit when standard input closes. Plain Node.js, so each interop package can require it.

const readline = require('readline');

/** One event, one line of JSON on standard output: the Java harness reads these. */
function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

/** An error's message, for an error event. */
function describe(err) {
  return String(err && err.message ? err.message : err);
}

/**
 * `--name value` options, each with an environment variable as fallback (`--key` or `<environmentPrefix>KEY`);
 * `flags` name the options that take no value.
 */
function parseOptions(argv, flags, environmentPrefix) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--'))
      throw new Error(`bad argument: ${arg} (expected --name [value])`);
    const name = arg.slice(2);
    if (flags.includes(name)) {
      options[name] = true;
    } else {
      if (i + 1 >= argv.length)
        throw new Error(`--${name} needs a value`);
      options[name] = argv[++i];
    }
  }
  return (name, fallback) => {
    if (options[name] !== undefined)
      return options[name];
    const fromEnv = process.env[environmentPrefix + name.toUpperCase().replace(/-/g, '_')];
    if (fromEnv !== undefined)
      return flags.includes(name) ? fromEnv === '1' || fromEnv === 'true' : fromEnv;
    return fallback;
  };
}

/**
 * Hands each JSON line of standard input to `onCommand`, reporting lines it cannot parse or that throw (or whose
 * promise rejects) as error events, and calls `onEnd` when standard input closes: the parent has gone or wants this
 * process gone.
 */
function readCommands(onCommand, onEnd) {
  const lines = readline.createInterface({input: process.stdin});
  lines.on('line', (line) => {
    if (line.trim() === '')
      return;
    const fail = (err) => emit({event: 'error', message: `command ${line}: ${describe(err)}`});
    try {
      const result = onCommand(JSON.parse(line));
      if (result && typeof result.catch === 'function')
        result.catch(fail);
    } catch (err) {
      fail(err);
    }
  });
  lines.on('close', onEnd);
}

module.exports = {emit, describe, parseOptions, readCommands};
