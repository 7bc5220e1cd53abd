// Worker thread entry: decompresses, parses and aggregates the files the main thread hands it; eventIDs are deduplicated by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { ingestContext, ingestFile, type Deduplicate } from './ingestFile.js';
import { UsageAggregator } from './usageAggregator.js';
import type { MessageFromWorker, MessageToWorker, WorkerSetup } from './workerMessages.js';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

const aggregator = new UsageAggregator((workerData as WorkerSetup).window);
const waiting = new Map<number, (fresh: Uint8Array) => void>();
let nextRequest = 0;

const send = (message: MessageFromWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const deduplicate: Deduplicate = (hashes) =>
  new Promise((resolve) => {
    const id = nextRequest++;
    waiting.set(id, resolve);
    send({ type: 'dedupe', id, hashes }, [hashes.buffer as ArrayBuffer]);
  });

const context = ingestContext(aggregator, deduplicate);

port.on('message', (message: MessageToWorker) => {
  switch (message.type) {
    case 'unique':
      waiting.get(message.id)?.(message.fresh);
      waiting.delete(message.id);
      break;
    case 'file':
      void ingestFile(message.file, context).then((outcome) => send({ type: 'file-done', outcome }));
      break;
    case 'finish':
      send({ type: 'state', state: aggregator.snapshot() });
      port.close();
      break;
  }
});

send({ type: 'ready' });
