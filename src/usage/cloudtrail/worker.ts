// Worker thread entry: reads the files the main thread hands it into digests of their events; the main thread deduplicates and aggregates.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkRingWriter, type ChunkRingMemory } from './chunkRing.js';
import { readCloudTrailFile, readingContext, type ParsedFile } from './ingestFile.js';
import type { MessageFromWorker, MessageToWorker } from './workerMessages.js';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

const groups: Array<MessageToWorker & { type: 'files' }> = [];
let reading = false;
let finishing = false;

const send = (message: MessageFromWorker): void => port.postMessage(message);
const ring = new ChunkRingWriter((workerData as { ring: ChunkRingMemory }).ring);
/**
 * Each chunk goes as soon as it is made, through the shared ring when it fits: the main thread aggregates it in
 * place, and nothing is copied into a message or left for the main thread's garbage collector.
 */
const sendChunk = (id: number, chunk: Uint8Array): void => {
  const inRing = ring.write(chunk);
  send(inRing ? { type: 'ring-chunk', id, chunk: inRing } : { type: 'chunk', id, chunk });
};
const context = readingContext(sendChunk);

/** Reads the groups in hand one after the other. */
async function readGroups(): Promise<void> {
  if (reading) return;
  reading = true;
  for (let group = groups.shift(); group; group = groups.shift()) {
    const files: ParsedFile[] = [];
    for (const task of group.tasks) {
      const file = await readCloudTrailFile(task, context);
      for (const chunk of file.chunks) sendChunk(task.id, chunk);
      files.push({ ...file, chunks: [] });
    }
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
