#!/usr/bin/env node
// The tslab kernel with one addition: a failed cell's execute_reply carries the error's name, message and
// stack. tslab prints the error on the cell's stderr but sends an error reply without them, so nbconvert and
// nbclient report a failed cell as only "<Error>:". The kernelspec written by `npm run install:jupyter`
// starts this file; everything else is tslab as it is.
'use strict';
const { format } = require('node:util');
const { JupyterHandlerImpl } = require('tslab/dist/jupyter.js');

const executorModule = require('tslab/dist/executor.js');

// tslab's executor reports a cell's exception (and TypeScript diagnostics) through the console it is given:
// keep the first report of each cell.
let firstError;
const createExecutor = executorModule.createExecutor;
executorModule.createExecutor = (rootDir, convs, console) =>
  createExecutor(rootDir, convs, {
    log: console.log,
    error: (...values) => {
      if (firstError === undefined) firstError = values;
      return console.error(...values);
    },
  });

const runCell = JupyterHandlerImpl.prototype.handleExecuteImpl;
JupyterHandlerImpl.prototype.handleExecuteImpl = function (...args) {
  firstError = undefined;
  return runCell.apply(this, args);
};

const execute = JupyterHandlerImpl.prototype.handleExecute;
JupyterHandlerImpl.prototype.handleExecute = async function (...args) {
  const reply = await execute.apply(this, args);
  const values = firstError;
  if (reply.status === 'error' && values !== undefined) {
    const e = values[0];
    const isError = e instanceof Error || (typeof e === 'object' && e !== null && typeof e.message === 'string');
    reply.ename = isError ? String(e.name || 'Error') : 'CompileError';
    reply.evalue = isError ? String(e.message) : format(...values);
    reply.traceback = isError && typeof e.stack === 'string' ? e.stack.split('\n') : [];
  }
  return reply;
};

require('tslab/dist/main.js').main();
