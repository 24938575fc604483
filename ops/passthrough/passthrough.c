/*
 * passthrough: the yardstick of ops/bench. A minimal consume -> produce -> commit loop written
 * directly against librdkafka, with no parsing: every consumed record is produced unchanged
 * (key, value, headers) to the output topic, delivery reports are served as they arrive, and an
 * input offset is committed only once every record at or below it on that partition has been
 * delivered (the same at-least-once contract as Syncline's runtime). A commit counts only when the
 * broker confirmed it (offset-commit callback without error, per partition). It stops once every
 * one of N records is delivered and a confirmed commit covers them, and prints one JSON line:
 *
 *   {"contender":"passthrough","records_in":1000000,"records_out":1000000,"committed":1000000,
 *    "window_seconds":1.62,"window_cpu_seconds":1.9,"close_seconds":0.2,...}
 *
 * The measured window runs from the first consumed record to the moment the broker confirmed the
 * commit that covers the last delivered record; close and destroy come after it and are reported
 * apart (close_seconds). window_cpu_seconds is this process's user+sys CPU (getrusage) over the
 * same window, all librdkafka threads included.
 *
 * The loop is event-driven: it consumes with timeout 0 and, when both the consumer queue and the
 * producer's delivery-report queue are empty, sleeps in poll(2) on the file descriptors librdkafka
 * signals when either queue gets an event (rd_kafka_queue_io_event_enable), so a record or a
 * delivery report is served as soon as it arrives (no batch-fill waits). The producer lingers 5 ms.
 *
 * The 2.0.2 fetch back-off. In librdkafka 2.0.2 a partition whose fetch queue holds
 * queued.min.messages records or queued.max.messages.kbytes bytes is taken off its broker
 * thread's fetch list with no back-off deadline (rd_kafka_toppar_fetch_decide returns RD_TS_MAX);
 * with the high-level consumer every partition's fetch queue is forwarded to the one consumer
 * queue, so once that queue is full every partition stops at once. The broker thread then sleeps
 * in its IO/op wait until something wakes it or its 1 s serve timeout (rd_kafka_max_block_ms)
 * passes; draining the queue wakes nothing. (fetch.queue.backoff.ms, added in 2.3.0, is not in
 * 2.0.2.) A consumer that drains a 16 MiB queue in 50 ms and then waits up to a second for the
 * next fetch runs at a fraction of its speed. This program avoids it without a sleep:
 *   - when the consumer queue has been near its limit (--prefetch-records = queued.min.messages,
 *     default 20,000; --prefetch-kbytes = queued.max.messages.kbytes, default 16 MiB, counted in
 *     value bytes; whichever binds first) and has drained below half of it
 *     (rd_kafka_queue_length), it wakes the broker threads by sending each broker that leads an
 *     input partition a ListOffsets request (rd_kafka_offsets_for_times with one partition per
 *     leader, asynchronously on a helper thread): a request enqueued for a broker thread is an op
 *     that ends its wait, and the thread then re-decides its partitions and fetches at once.
 * A small prefetch refilled this way ran faster here than a 128 MiB one (fewer cache misses), at a
 * third of the memory. With --no-wakeup it relies on the thresholds alone (for comparison); `wakeups` and
 * `idle_max_ms` (the longest time the loop found nothing to consume before it had N records) in
 * the summary show whether a stall happened.
 *
 * Build: cc -O2 -pthread -o passthrough passthrough.c $(pkg-config --cflags --libs rdkafka)
 * Usage: passthrough --brokers LIST --group G --input TOPIC --output TOPIC --count N
 *                    [--batch 2000] [--commit-interval-ms 500] [--prefetch-records N]
 *                    [--prefetch-kbytes K] [--no-wakeup] [-X prop=value ...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#define MAX_PARTITIONS 4096

/* Per input partition: a ring of the offsets consumed (in order) and whether each one's output is
 * delivered. A record's sequence number `seq` (per partition, from 0) is its slot: seq & (cap - 1).
 * Sequences below `head` are delivered; `committable` is the offset after the last of them. */
typedef struct {
    int64_t *offsets;
    unsigned char *done;
    uint64_t cap, head, len; /* len = next seq */
    int64_t committable;     /* next offset to commit, -1 if none */
    int64_t requested;       /* last offset handed to a commit request, -1 if none */
    int64_t confirmed;       /* last offset the broker confirmed, -1 if none */
    uint64_t confirmed_records;
    /* head seq at the time each requested offset was sent: a small FIFO of (offset, head) */
    int64_t pend_off[64];
    uint64_t pend_head[64];
    int pend_n;
} partition_state;

static partition_state parts[MAX_PARTITIONS];
static int max_partition_seen = -1;
static long long delivered = 0, consumed = 0, confirmed_records = 0, failed = 0, commit_errors = 0;
static volatile sig_atomic_t stop_requested = 0;
static double window_end = 0, cpu_window_end = 0;
static long long count = -1;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "passthrough: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
    char err[512];
    if (rd_kafka_conf_set(conf, name, value, err, sizeof(err)) != RD_KAFKA_CONF_OK) die(name, err);
}

static uint64_t track(int32_t partition, int64_t offset) {
    if (partition < 0 || partition >= MAX_PARTITIONS) die("partition out of range", NULL);
    partition_state *p = &parts[partition];
    if (partition > max_partition_seen) max_partition_seen = partition;
    if (p->cap == 0) {
        p->committable = p->requested = p->confirmed = -1;
    }
    if (p->len - p->head == p->cap) { /* ring full (or empty and unallocated): double it */
        uint64_t cap = p->cap ? p->cap * 2 : 4096;
        int64_t *offsets = malloc(cap * sizeof(int64_t));
        unsigned char *done = malloc(cap);
        if (!offsets || !done) die("out of memory", NULL);
        for (uint64_t s = p->head; s < p->len; s++) {
            offsets[s & (cap - 1)] = p->offsets[s & (p->cap - 1)];
            done[s & (cap - 1)] = p->done[s & (p->cap - 1)];
        }
        free(p->offsets);
        free(p->done);
        p->offsets = offsets;
        p->done = done;
        p->cap = cap;
    }
    uint64_t seq = p->len++;
    p->offsets[seq & (p->cap - 1)] = offset;
    p->done[seq & (p->cap - 1)] = 0;
    return seq;
}

/* opaque = (partition << 40) | seq */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    (void)opaque;
    uint64_t token = (uint64_t)(uintptr_t)m->_private;
    int32_t partition = (int32_t)(token >> 40);
    uint64_t seq = token & ((1ULL << 40) - 1);
    if (m->err) {
        /* No retry logic here: an idempotent producer already retried; the benchmark counts it. */
        fprintf(stderr, "passthrough: delivery failed: %s\n", rd_kafka_err2str(m->err));
        failed++;
        return;
    }
    partition_state *p = &parts[partition];
    p->done[seq & (p->cap - 1)] = 1;
    while (p->head < p->len && p->done[p->head & (p->cap - 1)]) {
        p->committable = p->offsets[p->head & (p->cap - 1)] + 1;
        p->head++;
    }
    delivered++;
}

/* Broker-confirmed commits: per partition, an offset without error counts the records below it. */
static void on_commit(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                      void *opaque) {
    (void)rk;
    (void)opaque;
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    for (int i = 0; offsets && i < offsets->cnt; i++) {
        rd_kafka_topic_partition_t *tp = &offsets->elems[i];
        if (tp->partition < 0 || tp->partition > max_partition_seen) continue;
        partition_state *p = &parts[tp->partition];
        int ok = !err && !tp->err;
        if (!ok) {
            commit_errors++;
            fprintf(stderr, "passthrough: commit of partition %d at %" PRId64 " failed: %s\n", tp->partition,
                    tp->offset, rd_kafka_err2str(err ? err : tp->err));
            /* The next commit (due at the next interval, or at the end) covers it again. */
            if (p->requested == tp->offset) p->requested = p->confirmed;
        }
        /* Find the head seq recorded when this offset was requested. */
        for (int j = 0; j < p->pend_n; j++) {
            if (p->pend_off[j] != tp->offset) continue;
            if (ok && tp->offset > p->confirmed) {
                p->confirmed = tp->offset;
                confirmed_records += (long long)(p->pend_head[j] - p->confirmed_records);
                p->confirmed_records = p->pend_head[j];
            }
            memmove(&p->pend_off[0], &p->pend_off[j + 1], (size_t)(p->pend_n - j - 1) * sizeof(int64_t));
            memmove(&p->pend_head[0], &p->pend_head[j + 1], (size_t)(p->pend_n - j - 1) * sizeof(uint64_t));
            p->pend_n -= j + 1;
            break;
        }
    }
    if (window_end == 0 && confirmed_records >= count) {
        window_end = now_s();
        cpu_window_end = cpu_s();
    }
}

/* Requests an asynchronous commit of every partition's committable offset not yet requested. */
static void commit(rd_kafka_t *consumer, const char *topic) {
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(16);
    for (int i = 0; i <= max_partition_seen; i++) {
        partition_state *p = &parts[i];
        if (p->cap == 0 || p->committable < 0 || p->committable <= p->requested) continue;
        if (p->pend_n == 64) continue; /* too many unanswered: wait for replies */
        rd_kafka_topic_partition_list_add(list, topic, i)->offset = p->committable;
        p->pend_off[p->pend_n] = p->committable;
        p->pend_head[p->pend_n] = p->head;
        p->pend_n++;
        p->requested = p->committable;
    }
    if (list->cnt) {
        /* Asynchronous: the broker's answer reaches on_commit through the consumer queue. */
        rd_kafka_resp_err_t err = rd_kafka_commit(consumer, list, 1);
        if (err) {
            fprintf(stderr, "passthrough: commit request failed: %s\n", rd_kafka_err2str(err));
            for (int i = 0; i < list->cnt; i++) {
                partition_state *p = &parts[list->elems[i].partition];
                p->pend_n--;
                p->requested = p->confirmed;
            }
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
}

/* ---- Waking the broker threads after the consumer queue was full (see the header). ---- */

typedef struct {
    rd_kafka_t *consumer;
    const char *topic;
    int32_t leader_partitions[64]; /* one input partition per leader broker */
    int n;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int requested, quit;
    long long sent;
} waker_t;

static void *waker_main(void *arg) {
    waker_t *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->requested && !w->quit) pthread_cond_wait(&w->cond, &w->lock);
        if (w->quit) break;
        w->requested = 0;
        pthread_mutex_unlock(&w->lock);
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(w->n);
        for (int i = 0; i < w->n; i++)
            rd_kafka_topic_partition_list_add(list, w->topic, w->leader_partitions[i])->offset = 0; /* timestamp 0 */
        rd_kafka_offsets_for_times(w->consumer, list, 5000); /* the answer is not needed */
        rd_kafka_topic_partition_list_destroy(list);
        pthread_mutex_lock(&w->lock);
        w->sent++;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void waker_kick(waker_t *w) {
    pthread_mutex_lock(&w->lock);
    w->requested = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* One input partition per distinct leader, from the consumer's metadata. */
static void waker_leaders(waker_t *w) {
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(w->consumer, w->topic, NULL);
    if (rd_kafka_metadata(w->consumer, 0, rkt, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt < 1)
        die("metadata", w->topic);
    const struct rd_kafka_metadata_topic *t = &md->topics[0];
    int32_t leaders[64];
    w->n = 0;
    for (int i = 0; i < t->partition_cnt && w->n < 64; i++) {
        int known = 0;
        for (int j = 0; j < w->n; j++) known |= leaders[j] == t->partitions[i].leader;
        if (known) continue;
        leaders[w->n] = t->partitions[i].leader;
        w->leader_partitions[w->n++] = t->partitions[i].id;
    }
    rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
}

static int drain_fd(int fd) {
    char buf[64];
    while (read(fd, buf, sizeof(buf)) > 0) {
    }
    return 0;
}

static void usage(void) {
    fprintf(stderr,
            "usage: passthrough --brokers LIST --group G --input TOPIC --output TOPIC --count N\n"
            "                   [--batch 2000] [--commit-interval-ms 500] [--prefetch-records 20000]\n"
            "                   [--prefetch-kbytes 16384] [--no-wakeup] [-X prop=value ...]\n"
            "       passthrough --version\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *brokers = NULL, *group = NULL, *input = NULL, *output = NULL;
    int batch = 2000, commit_interval_ms = 500, wakeup = 1;
    long prefetch_records = 20000, prefetch_kbytes = 16384;
    const char *extra[64];
    int extra_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--version")) {
            printf("%s\n", rd_kafka_version_str());
            return 0;
        }
        if (!strcmp(a, "--no-wakeup")) {
            wakeup = 0;
            continue;
        }
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--brokers")) brokers = v;
        else if (!strcmp(a, "--group")) group = v;
        else if (!strcmp(a, "--input")) input = v;
        else if (!strcmp(a, "--output")) output = v;
        else if (!strcmp(a, "--count")) count = atoll(v);
        else if (!strcmp(a, "--batch")) batch = atoi(v);
        else if (!strcmp(a, "--commit-interval-ms")) commit_interval_ms = atoi(v);
        else if (!strcmp(a, "--prefetch-records")) prefetch_records = atol(v);
        else if (!strcmp(a, "--prefetch-kbytes")) prefetch_kbytes = atol(v);
        else if (!strcmp(a, "-X") && extra_count < 64) extra[extra_count++] = v;
        else usage();
    }
    if (!brokers || !group || !input || !output || count <= 0 || batch <= 0 || prefetch_records <= 0 ||
        prefetch_kbytes <= 0)
        usage();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    double started = now_s();
    char err[512], num[32];

    /* Producer: the settings Syncline's KafkaProducer applies. */
    rd_kafka_conf_t *pconf = rd_kafka_conf_new();
    set(pconf, "bootstrap.servers", brokers);
    set(pconf, "client.id", "bench-passthrough");
    set(pconf, "socket.nagle.disable", "true");
    set(pconf, "enable.idempotence", "true");
    set(pconf, "acks", "all");
    set(pconf, "linger.ms", "5");
    set(pconf, "batch.num.messages", "10000");
    set(pconf, "queue.buffering.max.messages", "100000");
    set(pconf, "queue.buffering.max.kbytes", "65536");
    set(pconf, "compression.type", "lz4");
    set(pconf, "message.timeout.ms", "300000");
    rd_kafka_conf_set_dr_msg_cb(pconf, on_delivery);

    /* Consumer: Syncline's KafkaConsumer settings, with the prefetch sized as explained above. */
    rd_kafka_conf_t *cconf = rd_kafka_conf_new();
    set(cconf, "bootstrap.servers", brokers);
    set(cconf, "client.id", "bench-passthrough");
    set(cconf, "socket.nagle.disable", "true");
    set(cconf, "group.id", group);
    set(cconf, "enable.auto.commit", "false");
    set(cconf, "enable.auto.offset.store", "false");
    set(cconf, "auto.offset.reset", "earliest");
    snprintf(num, sizeof(num), "%ld", prefetch_kbytes);
    set(cconf, "queued.max.messages.kbytes", num);
    snprintf(num, sizeof(num), "%ld", prefetch_records);
    set(cconf, "queued.min.messages", num);
    set(cconf, "fetch.wait.max.ms", "10");
    set(cconf, "session.timeout.ms", "10000");
    set(cconf, "heartbeat.interval.ms", "1000");
    set(cconf, "max.poll.interval.ms", "300000");
    rd_kafka_conf_set_offset_commit_cb(cconf, on_commit);

    for (int i = 0; i < extra_count; i++) {
        char *kv = strdup(extra[i]);
        char *eq = strchr(kv, '=');
        if (!eq) die("-X needs prop=value", extra[i]);
        *eq = 0;
        const char *name = kv, *value = eq + 1;
        if (!strncmp(name, "producer.", 9)) set(pconf, name + 9, value);
        else if (!strncmp(name, "consumer.", 9)) set(cconf, name + 9, value);
        else {
            set(pconf, name, value);
            set(cconf, name, value);
        }
        free(kv);
    }

    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof(err));
    if (!producer) die("cannot create producer", err);
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, err, sizeof(err));
    if (!consumer) die("cannot create consumer", err);
    rd_kafka_poll_set_consumer(consumer);
    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(consumer);
    rd_kafka_queue_t *dr_queue = rd_kafka_queue_get_main(producer);
    rd_kafka_topic_t *out = rd_kafka_topic_new(producer, output, NULL);

    /* Learn the output topic's metadata before the first record (else librdkafka parks the first
     * records until its 1 s metadata timer fires). */
    const struct rd_kafka_metadata *omd = NULL;
    if (rd_kafka_metadata(producer, 0, out, &omd, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_metadata_destroy(omd);

    /* Wake-up descriptors: librdkafka writes to them when an event lands on an empty queue. */
    int cpipe[2], ppipe[2];
    if (pipe2(cpipe, O_NONBLOCK | O_CLOEXEC) || pipe2(ppipe, O_NONBLOCK | O_CLOEXEC)) die("pipe", strerror(errno));
    rd_kafka_queue_io_event_enable(queue, cpipe[1], "1", 1);
    rd_kafka_queue_io_event_enable(dr_queue, ppipe[1], "1", 1);

    waker_t waker = {.consumer = consumer, .topic = input, .lock = PTHREAD_MUTEX_INITIALIZER,
                     .cond = PTHREAD_COND_INITIALIZER};
    pthread_t waker_thread;
    if (wakeup) {
        waker_leaders(&waker);
        if (pthread_create(&waker_thread, NULL, waker_main, &waker)) die("pthread_create", NULL);
    }

    rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(sub, input, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t serr = rd_kafka_subscribe(consumer, sub);
    rd_kafka_topic_partition_list_destroy(sub);
    if (serr) die("subscribe", rd_kafka_err2str(serr));

    rd_kafka_message_t **msgs = calloc((size_t)batch, sizeof(*msgs));
    double first_record = 0, cpu_first = 0, last_commit = now_s(), idle_since = 0, idle_max = 0, idle_total = 0;
    int status = 0, queue_was_full = 0;
    long long kicks = 0;
    long long value_bytes = 0; /* sum of consumed value sizes: the queue's byte limit in records */

    while (!stop_requested) {
        ssize_t n = rd_kafka_consume_batch_queue(queue, 0, msgs, (size_t)batch);
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = msgs[i];
            if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    fprintf(stderr, "passthrough: consumer error: %s\n", rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
                continue;
            }
            if (consumed >= count) { /* beyond N (only when the topic holds more): not ours to copy */
                rd_kafka_message_destroy(m);
                continue;
            }
            if (first_record == 0) {
                first_record = now_s();
                cpu_first = cpu_s();
            }
            consumed++;
            value_bytes += (long long)m->len;
            uint64_t seq = track(m->partition, m->offset);
            uint64_t token = ((uint64_t)m->partition << 40) | seq;
            rd_kafka_headers_t *hdrs = NULL;
            rd_kafka_headers_t *copy = NULL;
            if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs)
                copy = rd_kafka_headers_copy(hdrs);
            for (;;) {
                rd_kafka_resp_err_t perr;
                if (copy) {
                    perr = rd_kafka_producev(producer, RD_KAFKA_V_RKT(out), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                             RD_KAFKA_V_KEY(m->key, m->key_len),
                                             RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_HEADERS(copy),
                                             RD_KAFKA_V_OPAQUE((void *)(uintptr_t)token), RD_KAFKA_V_END);
                } else {
                    perr = rd_kafka_producev(producer, RD_KAFKA_V_RKT(out), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                             RD_KAFKA_V_KEY(m->key, m->key_len),
                                             RD_KAFKA_V_VALUE(m->payload, m->len),
                                             RD_KAFKA_V_OPAQUE((void *)(uintptr_t)token), RD_KAFKA_V_END);
                }
                if (perr == RD_KAFKA_RESP_ERR_NO_ERROR) break;
                if (perr == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                    rd_kafka_poll(producer, 1); /* back-pressure: serve delivery reports, retry */
                    continue;
                }
                die("produce", rd_kafka_err2str(perr));
            }
            rd_kafka_message_destroy(m);
        }
        int served = rd_kafka_poll(producer, 0); /* delivery reports */
        if (failed) {
            status = 1;
            break;
        }
        if (wakeup && consumed < count && consumed > 0) {
            /* The queue's limit in records: queued.min.messages, or queued.max.messages.kbytes over
             * the average value size (librdkafka counts value bytes), whichever comes first. */
            double avg = (double)value_bytes / (double)consumed;
            double limit = (double)prefetch_kbytes * 1024.0 / (avg > 1 ? avg : 1);
            if (limit > (double)prefetch_records) limit = (double)prefetch_records;
            size_t full_mark = (size_t)(limit * 0.9), low_mark = (size_t)(limit * 0.5);
            size_t queued = rd_kafka_queue_length(queue);
            if (queued >= full_mark) {
                queue_was_full = 1;
            } else if (queue_was_full && queued < low_mark) {
                queue_was_full = 0;
                kicks++;
                waker_kick(&waker);
            }
        }
        double t = now_s();
        if (n == 0 && consumed > 0 && consumed < count) {
            if (idle_since == 0) idle_since = t;
        } else if (idle_since != 0) {
            double idle = t - idle_since;
            idle_total += idle;
            if (idle > idle_max) idle_max = idle;
            idle_since = 0;
        }
        if ((t - last_commit) * 1000.0 >= commit_interval_ms || delivered >= count) {
            commit(consumer, input);
            last_commit = t;
        }
        if (window_end != 0) break;
        if (n == 0 && served == 0) {
            /* Nothing to do: wait for a record, a delivery report or a commit reply. */
            struct pollfd fds[2] = {{.fd = cpipe[0], .events = POLLIN}, {.fd = ppipe[0], .events = POLLIN}};
            int timeout = delivered >= count ? 5 : 100;
            if (poll(fds, 2, timeout) > 0) {
                if (fds[0].revents) drain_fd(cpipe[0]);
                if (fds[1].revents) drain_fd(ppipe[0]);
            }
        }
    }
    if (stop_requested) status = 3;
    double close_start = now_s();

    if (wakeup) {
        pthread_mutex_lock(&waker.lock);
        waker.quit = 1;
        pthread_cond_signal(&waker.cond);
        pthread_mutex_unlock(&waker.lock);
        pthread_join(waker_thread, NULL);
    }
    rd_kafka_flush(producer, 5000);
    rd_kafka_queue_io_event_enable(queue, -1, NULL, 0);
    rd_kafka_queue_io_event_enable(dr_queue, -1, NULL, 0);
    rd_kafka_queue_destroy(dr_queue);
    rd_kafka_queue_destroy(queue);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    rd_kafka_topic_destroy(out);
    rd_kafka_destroy(producer);
    double end = now_s();
    double window = window_end > 0 && first_record > 0 ? window_end - first_record : 0.0;
    printf("{\"contender\":\"passthrough\",\"records_in\":%lld,\"records_out\":%lld,\"committed\":%lld,"
           "\"failed\":%lld,\"commit_errors\":%lld,\"window_seconds\":%.4f,\"window_cpu_seconds\":%.4f,"
           "\"close_seconds\":%.4f,\"active_seconds\":%.4f,\"seconds\":%.3f,\"idle_max_ms\":%.1f,"
           "\"idle_total_ms\":%.1f,\"wakeups\":%lld,\"prefetch_records\":%ld,\"prefetch_kbytes\":%ld,"
           "\"librdkafka\":\"%s\"}\n",
           consumed, delivered, confirmed_records, failed, commit_errors, window,
           window_end > 0 ? cpu_window_end - cpu_first : 0.0, end - close_start,
           first_record > 0 ? end - first_record : 0.0, end - started, idle_max * 1000, idle_total * 1000, kicks,
           prefetch_records, prefetch_kbytes, rd_kafka_version_str());
    fflush(stdout);
    free(msgs);
    return status;
}
