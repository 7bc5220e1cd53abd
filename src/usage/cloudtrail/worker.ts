// Worker thread entry: reads (or replays) and aggregates the files the main thread hands it; eventIDs are deduplicated by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { ingestContext, ingestFile, type Deduplicate } from './ingestFile.js';
import { UsageAggregator } from './usageAggregator.js';
import type { MessageFromWorker, MessageToWorker, WorkerSetup } from './workerMessages.js';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

const aggregator = new UsageAggregator((workerData as WorkerSetup).window);
const waiting = new Map<number, (fresh: Uint8Array) => void>();
let nextRequest = 0;
let inHand = 0;
let finishing = false;

const send = (message: MessageFromWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const deduplicate: Deduplicate = (hashes) =>
  new Promise((resolve) => {
    const id = nextRequest++;
    waiting.set(id, resolve);
    send({ type: 'dedupe', id, hashes }, [hashes.buffer as ArrayBuffer]);
  });

const context = ingestContext(aggregator, deduplicate);

const finishWhenIdle = (): void => {
  if (!finishing || inHand > 0) return;
  send({ type: 'state', state: aggregator.snapshot() });
  port.close();
};

port.on('message', (message: MessageToWorker) => {
  switch (message.type) {
    case 'unique':
      waiting.get(message.id)?.(message.fresh);
      waiting.delete(message.id);
      break;
    case 'file':
      inHand++;
      void ingestFile(message.task, context).then((outcome) => {
        inHand--;
        send({ type: 'file-done', outcome });
        finishWhenIdle();
      });
      break;
    case 'finish':
      finishing = true;
      finishWhenIdle();
      break;
  }
});

send({ type: 'ready' });
