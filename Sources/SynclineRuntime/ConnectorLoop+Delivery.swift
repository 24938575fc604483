import Foundation
import Logging
import SynclineMapping
import SynclineKafka

extension ConnectorLoop {
    /// Handles delivery reports: those kept while a send waited, then what the producer has now.
    /// Returns how many were handled.
    @discardableResult
    func serveDeliveries(timeoutMs: Int32) -> Int {
        var handled = handleDeferredReports()
        if let producer {
            handled += producer.serveDeliveries(timeoutMs: timeoutMs) { handleDelivery($0) }
        }
        return handled + handleDeferredReports()
    }

    func handleDeferredReports() -> Int {
        var handled = 0
        while !delivery.deferredReports.isEmpty {
            let reports = delivery.deferredReports
            delivery.deferredReports = []
            for report in reports { handleDelivery(report) }
            handled += reports.count
        }
        return handled
    }

    func handleDelivery(_ report: DeliveryReport) {
        guard let item = delivery.take(report) else { return }
        account.inFlight(-1)
        let now = RuntimeClock.nanos()
        let duration = now > item.sentAtNanos ? now - item.sentAtNanos : 0
        guard let error = report.error else {
            if let change = gate.breaker.record(failed: false, durationNanos: duration, nowNanos: now) { noteBreaker(change) }
            delivered(item, report: report)
            return
        }
        if handle.mode == .crash { return }
        // A record the brokers refuse for good says nothing about the sink's health.
        if !error.isPermanentForRecord, let change = gate.breaker.record(failed: true, durationNanos: duration, nowNanos: now) {
            noteBreaker(change)
        }
        let nowMs = EpochClock.nowMs()
        let outcome = DeliveryTracker.outcome(
            of: item, error: error, nowMs: nowMs, retry: spec.resilience.retry, sinkHealthy: gate.breaker.state == .closed)
        switch outcome {
        case .acknowledged:
            delivered(item, report: report)
        case .deadLetter(let rejection):
            logger.warning("brokers refused an output for good; sending the input to the DLQ", metadata: [
                "error": "\(error.name)", "offset": "\(item.input.coordinates)", "topic": "\(item.output.topic)",
            ])
            item.output = deadLetter(item.input, rejection, attempts: item.attempts, firstFailedAtMs: item.firstFailedAtMs ?? nowMs)
            item.kind = .deadLetter
            item.primary = false
            item.rejection = rejection
            item.attempts = 1
            send(item)
        case .deadLetterWithoutValue:
            // The brokers will not take the original bytes even in the DLQ (bigger than the DLQ
            // topic allows): keep the record's place and reason, say so, and drop only the value.
            logger.error("the DLQ refused a rejected record's bytes; writing its DLQ entry without the value", metadata: [
                "error": "\(error.name)", "offset": "\(item.input.coordinates)", "bytes": "\(item.input.value?.count ?? 0)",
            ])
            item.output.value = nil
            item.output.headers.append(RecordHeader(
                HeaderNames.valueDropped, "\(item.input.value?.count ?? 0) bytes refused by the DLQ topic: \(error.name)"))
            send(item)
        case .drop:
            // Count it, say so loudly, move on.
            dropped(item, error: error)
        case .giveUp(let failingForMs):
            giveUp(item, error: error, failingForMs: failingForMs)
        case .retry:
            // Transient (or a DLQ write that failed): retry with back-off, within `retry.give_up_after_ms`.
            item.attempts += 1
            item.firstFailedAtMs = item.firstFailedAtMs ?? nowMs
            item.dueAt = ContinuousClock.now + spec.resilience.retry.delay(attempt: item.attempts - 1)
            account.retried()
            logger.warning("delivery failed, will retry", metadata: [
                "error": "\(error.name)", "attempt": "\(item.attempts)", "offset": "\(item.input.coordinates)",
            ])
            delivery.retryQueue.append(item)
            account.inFlight(1)
        }
    }

    /// A hub-made record (latency observation, timed output, alert) the brokers refused for good.
    func dropped(_ item: InFlightOutput, error: KafkaError) {
        let kind: String
        switch item.kind {
        case .latencyObservation: kind = "latency_observation"
        case .timed: kind = "timed_output"
        case .alert: kind = "alert"
        case .deadLetter: kind = "dead_letter"
        case .output: kind = "output"
        }
        account.dropped(kind)
        logger.error("the brokers refused a \(kind) for good; it is dropped and counted", metadata: [
            "error": "\(error.name)", "topic": "\(item.output.topic)", "event": "\(item.timing.eventID ?? "-")",
        ])
        if case .timed(let id) = item.kind, item.generation < options.emitters.count {
            timedInFlight[item.generation].remove(id)
            options.emitters[item.generation].delivered(ids: [id])
            return
        }
        if item.kind == .latencyObservation || item.kind == .deadLetter { acknowledge(item) }
    }

    /// An output that kept failing while its sink's breaker stayed closed: the one record stuck. A canonical
    /// output sends its input to the DLQ (`retries_exhausted`); anything else is dropped and counted.
    /// Either way its partition moves on.
    func giveUp(_ item: InFlightOutput, error: KafkaError, failingForMs: Int64) {
        guard item.kind == .output else {
            logger.error("giving up on a record that kept failing while its sink stayed healthy", metadata: [
                "topic": "\(item.output.topic)", "attempts": "\(item.attempts)", "seconds": "\(failingForMs / 1000)",
                "offset": "\(item.input.coordinates)",
            ])
            dropped(item, error: error)
            return
        }
        logger.error("an output kept failing while its sink stayed healthy; sending its input to the DLQ", metadata: [
            "error": "\(error.name)", "offset": "\(item.input.coordinates)", "topic": "\(item.output.topic)", "attempts": "\(item.attempts)",
        ])
        let rejection = Rejection(
            stage: .produce, code: ErrorCode.retriesExhausted.rawValue, field: nil,
            message: "the output for \(item.output.topic) failed \(item.attempts) times over \(failingForMs / 1000) s while the sink's circuit breaker stayed closed; last error \(error.name): \(error.message)")
        item.output = deadLetter(item.input, rejection, attempts: item.attempts, firstFailedAtMs: item.firstFailedAtMs ?? EpochClock.nowMs())
        item.kind = .deadLetter
        item.primary = false
        item.rejection = rejection
        item.attempts = 1
        item.firstFailedAtMs = nil
        send(item)
    }

    /// After a fatal producer error (the idempotent producer fenced …) librdkafka takes nothing more
    /// from that producer: make a new one and send everything that was in flight again. Their
    /// offsets were never committed past, so nothing is lost; duplicates are possible.
    func recreateProducerIfFailed(config: KafkaConfig) {
        if handle.fatalErrorRequested.exchange(false, ordering: .acquiringAndReleasing) {
            producer?.raiseFatalErrorForTesting(reason: "requested by a test")
            _ = serveDeliveries(timeoutMs: 100)
        }
        let fatal = producer?.fatalError
        guard producer == nil || fatal != nil else { return }
        if let old = producer, let fatal {
            logger.error("producer fatal error \(fatal.name): \(fatal.message); recreating the producer and sending its in-flight outputs again")
            account.producerRestarted()
            producer = nil
            old.abandon()
            delivery.deferredReports.removeAll()
            for item in delivery.takeAllInFlight() {
                item.dueAt = nil
                delivery.retryQueue.append(item)
            }
        }
        do {
            let fresh = try KafkaProducer(config: config, logger: logger)
            if let wakeup { fresh.enableWakeup(wakeup) }
            producer = fresh
        } catch {
            logger.error("cannot create a producer (\(error.name): \(error.message)); outputs wait and it is tried again")
        }
    }

    /// An output was acknowledged: count it, time it, and move the partition's progress on.
    func delivered(_ item: InFlightOutput, report: DeliveryReport) {
        switch item.kind {
        case .deadLetter:
            account.deadLettered(item.rejection.map { rejection in
                DeadLetterNotice(
                    connector: spec.name, rejection: rejection, sourceTopic: item.input.topic,
                    sourcePartition: item.input.partition, sourceOffset: item.input.offset, dlqTopic: report.topic,
                    dlqPartition: report.partition, dlqOffset: report.offset, mappingVersion: spec.mappingVersion,
                    eventID: item.timing.eventID, failedAtMs: item.firstFailedAtMs ?? item.timing.consumeMs)
            })
        case .latencyObservation:
            break
        case .alert:
            account.alertAcknowledged(report.topic)
            return
        case .timed(let id):
            account.timedOutputAcknowledged(report.topic)
            if item.generation < options.emitters.count {
                timedInFlight[item.generation].remove(id)
                options.emitters[item.generation].delivered(ids: [id])
            }
            return
        case .output:
            account.outputAcknowledged(item.output.topic)
            if item.primary && spec.observesLatency { observeLatency(item, outputTopic: report.topic) }
        }
        acknowledge(item)
    }

    func observeLatency(_ item: InFlightOutput, outputTopic: String) {
        let verdict = tracker.observe(
            sourceMs: item.timing.sourceMs, unknownReason: item.timing.sourceProblem, brokerMs: item.input.timestampMs,
            consumeMs: item.timing.consumeMs, ackMs: EpochClock.nowMs())
        switch verdict {
        case .unknownSource(let reason):
            account.unknownSource(reason)
        case .clockSkew:
            account.clockSkewed()
        case .observed(let observation):
            account.observed(observation)
            guard observation.delayed else { return }
            let delayed = DelayedRecord(
                connector: spec.name, eventID: item.timing.eventID ?? item.input.coordinates, sourceTopic: item.input.topic,
                sourcePartition: item.input.partition, sourceOffset: item.input.offset, outputTopic: outputTopic,
                observation: observation, mappingVersion: spec.mappingVersion)
            account.delayed(delayed)
            // The observation is one more output of this input: the offset waits for it too.
            guard partitions.live(item.slot, generation: item.generation) else { return }
            partitions[item.slot].progress.expect(seq: item.seq, more: 1)
            let observationItem = item.copy()
            observationItem.kind = .latencyObservation
            observationItem.primary = false
            observationItem.output = OutputRecord(
                topic: TopicNames.latency, key: Array(delayed.eventID.utf8),
                value: LatencyRecordEncoder.encode(delayed, sloMs: tracker.sloMs),
                headers: [RecordHeader(HeaderNames.connector, spec.name)])
            send(observationItem)
        }
    }

    func produceDueRetries() {
        guard !delivery.retryQueue.isEmpty else { return }
        let now = ContinuousClock.now
        var waiting: [InFlightOutput] = []
        let due = delivery.retryQueue
        delivery.retryQueue = []
        let nowNanos = RuntimeClock.nanos()
        for item in due {
            if let dueAt = item.dueAt, dueAt > now {
                waiting.append(item)
            } else if gate.breaker.allowCall(nowNanos: nowNanos) {
                account.inFlight(-1)
                send(item, breakerChecked: true)
            } else {
                waiting.append(item)
            }
        }
        delivery.retryQueue.append(contentsOf: waiting)
    }

    /// Waits for in-flight outputs (and due retries) until none remain or the timeout passes.
    func drain(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while !delivery.isSettled && ContinuousClock.now < deadline && handle.mode != .crash {
            serveDeliveries(timeoutMs: 20)
            produceDueRetries()
        }
        if !delivery.inFlight.isEmpty || !delivery.retryQueue.isEmpty {
            logger.warning("stopping with \(delivery.outstanding) outputs unacknowledged; their inputs stay uncommitted and will be redelivered")
        }
    }
}
