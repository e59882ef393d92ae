/**
 * Counters and gauges of the sync server, rendered in the Prometheus text format at /metrics.
 * Deliberately tiny: a few numbers an operator graphs, no client library.
 */

const latencyBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

class Histogram {
  readonly counts = latencyBuckets.map(() => 0);
  sum = 0;
  count = 0;

  observe(seconds: number) {
    this.sum += seconds;
    this.count += 1;
    // An index loop: entries() allocated an iterator and a pair per bucket at every commit.
    for (let index = 0; index < latencyBuckets.length; index += 1)
      if (seconds <= latencyBuckets[index]!) this.counts[index]! += 1;
  }

  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const [index, bound] of latencyBuckets.entries())
      lines.push(`${name}_bucket{le="${bound}"} ${this.counts[index]}`);
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return lines.join('\n');
  }
}

/** Why an update or message was not accepted. */
export type RejectReason =
  | 'read_only'
  | 'invalid_update'
  | 'invalid_message'
  | 'too_big'
  | 'awareness_spoofing'
  | 'persistence_failed'
  | 'document_gone'
  | 'flooding'
  | 'not_reading'
  | 'too_many_client_ids'
  | 'heartbeat_missed'
  | 'too_many_connections';

/** The sync server's numbers; mutated in place by the server. */
export class SyncMetrics {
  connections = 0;
  documentsLoaded = 0;
  updatesReceived = 0;
  updatesBroadcast = 0;
  updatesFromOtherInstances = 0;
  readonly rejected = new Map<RejectReason, number>();
  compactions = 0;
  throttled = 0;
  accessChecks = 0;
  /** Batches of updates that started committing while another was still committing. */
  overlappedBatches = 0;
  readonly persistBatchSeconds = new Histogram();
  readonly notifyLagSeconds = new Histogram();

  /** Counts one rejected message. */
  reject(reason: RejectReason) {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  /** Prometheus text exposition. */
  render(): string {
    const gauge = (name: string, help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
    const counter = (name: string, help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}`;
    const rejected = [...this.rejected].map(
      ([reason, n]) => `nordraum_sync_updates_rejected_total{reason="${reason}"} ${n}`,
    );
    return [
      gauge('nordraum_sync_connections', 'Open websocket connections.', this.connections),
      gauge('nordraum_sync_documents_loaded', 'Documents held in memory.', this.documentsLoaded),
      counter('nordraum_sync_updates_received_total', 'Yjs updates received from clients.', this.updatesReceived),
      counter('nordraum_sync_updates_broadcast_total', 'Update messages sent to clients.', this.updatesBroadcast),
      counter(
        'nordraum_sync_updates_from_instances_total',
        'Updates received from other instances.',
        this.updatesFromOtherInstances,
      ),
      `# HELP nordraum_sync_updates_rejected_total Messages not accepted, by reason.\n# TYPE nordraum_sync_updates_rejected_total counter${rejected.length ? `\n${rejected.join('\n')}` : ''}`,
      counter('nordraum_sync_compactions_total', 'Update logs compacted into snapshots.', this.compactions),
      counter('nordraum_sync_throttled_total', 'Times a flooding connection was paused.', this.throttled),
      counter(
        'nordraum_sync_access_checks_total',
        'Access re-checks of open connections, one per session and document.',
        this.accessChecks,
      ),
      counter(
        'nordraum_sync_persist_batches_overlapped_total',
        'Batches of updates that started committing while another was still committing.',
        this.overlappedBatches,
      ),
      this.persistBatchSeconds.render('nordraum_sync_persist_batch_seconds', 'Time to commit one batch of updates.'),
      this.notifyLagSeconds.render('nordraum_sync_notify_lag_seconds', 'Commit on another instance to receipt here.'),
      '',
    ].join('\n');
  }
}
