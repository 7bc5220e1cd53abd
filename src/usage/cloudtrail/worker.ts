// Worker thread entry: reads the files the main thread hands it into digests of their events; the main thread deduplicates and aggregates.
import { parentPort } from 'node:worker_threads';
import { readCloudTrailFile, readingContext, type ParsedFile } from './ingestFile.js';
import type { MessageFromWorker, MessageToWorker } from './workerMessages.js';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

const groups: Array<MessageToWorker & { type: 'files' }> = [];
let reading = false;
let finishing = false;

const send = (message: MessageFromWorker): void => port.postMessage(message);
const context = readingContext((id, chunk) => send({ type: 'chunk', id, chunk }));

/** Reads the groups in hand one after the other. */
async function readGroups(): Promise<void> {
  if (reading) return;
  reading = true;
  for (let group = groups.shift(); group; group = groups.shift()) {
    const files: ParsedFile[] = [];
    for (const task of group.tasks) files.push(await readCloudTrailFile(task, context));
    send({ type: 'files-done', files });
  }
  reading = false;
  if (finishing) {
    send({ type: 'finished' });
    port?.close();
  }
}

port.on('message', (message: MessageToWorker) => {
  if (message.type === 'files') groups.push(message);
  else finishing = true;
  void readGroups();
});

send({ type: 'ready' });
