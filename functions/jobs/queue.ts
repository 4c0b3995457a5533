/** Queueing scan tasks on the FIFO task queue (SendMessageBatch, 10 a call, failed entries retried). */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { CallCounter } from '../core/call-counter';
import { failedEntries, sendWithRetries, splitBatches, type BatchFailure } from '../publish/batches';
import type { ScanTask } from './task';

/** Send one message per task; what still fails after retries is returned. */
export async function queueTasks(
  sqs: SQSClient,
  queueUrl: string,
  tasks: readonly ScanTask[],
  options: { counter: CallCounter; sleep?: ((ms: number) => Promise<void>) | undefined },
): Promise<{ sent: number; failed: BatchFailure<SendMessageBatchRequestEntry>[] }> {
  // FIFO: one message group per account-region (its scans never overlap), and a deduplication id
  // per scan and account-region (a scheduler event delivered twice queues each task once); a continued
  // task (CloudTrail pages left) is told apart by the pages read before it.
  const entries = tasks.map((task, index) => ({
    Id: `t${index}`,
    MessageBody: JSON.stringify(task),
    MessageGroupId: `${task.accountId}:${task.region}`,
    MessageDeduplicationId: createHash('sha256')
      .update(`${task.scanId}|${task.accountId}|${task.region}${task.traffic ? `|pages ${task.traffic.pages}` : ''}`)
      .digest('hex'),
  }));
  const result = await sendWithRetries(
    entries,
    (items) => splitBatches(items, 10, 256 * 1024, (e) => Buffer.byteLength(e.MessageBody)),
    async (batch) => {
      options.counter.add('SendMessageBatch');
      const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
      return {
        succeeded: response.Successful?.length ?? 0,
        failed: failedEntries(batch, response.Failed),
      };
    },
    { sleep: options.sleep },
  );
  return { sent: result.succeeded, failed: result.failed };
}
