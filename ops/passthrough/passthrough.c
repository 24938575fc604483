/*
 * passthrough: the yardstick of ops/bench. A minimal consume -> produce -> commit loop written
 * directly against librdkafka, with no parsing: every consumed record is produced unchanged
 * (key, value, headers) to the output topic, delivery reports are served, and an input offset is
 * committed only once every record at or below it on that partition has been delivered
 * (the same at-least-once contract as Syncline's runtime). It stops after N records are
 * delivered and committed and prints one JSON line, e.g.
 *   {"contender":"passthrough","records_in":200000,"records_out":200000,"committed":200000,
 *    "active_seconds":2.1,"seconds":5.3}
 * active_seconds runs from the first consumed record to the end (after close), like Syncline's.
 *
 * Build: cc -O2 -o passthrough passthrough.c $(pkg-config --cflags --libs rdkafka)
 * Usage: passthrough --brokers LIST --group G --input TOPIC --output TOPIC --count N
 *                    [--batch 2000] [--commit-interval-ms 500] [-X prop=value ...]
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#define MAX_PARTITIONS 4096

/* Per input partition: the offsets consumed, in order, and whether each one's output is delivered.
 * seq indexes both arrays; `head` is the first seq not yet delivered. */
typedef struct {
    int64_t *offsets;
    unsigned char *done;
    size_t len, cap, head;
    int64_t committable;  /* next offset to commit (last contiguous delivered + 1), -1 if none */
    int64_t committed;    /* last committed offset, -1 if none */
    size_t committed_seq; /* seqs below this are committed */
} partition_state;

static partition_state parts[MAX_PARTITIONS];
static int max_partition_seen = -1;
static long long delivered = 0, consumed = 0, committed_records = 0, failed = 0;
static volatile sig_atomic_t stop_requested = 0;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

static size_t track(int32_t partition, int64_t offset) {
    if (partition < 0 || partition >= MAX_PARTITIONS) die("partition out of range", NULL);
    partition_state *p = &parts[partition];
    if (partition > max_partition_seen) max_partition_seen = partition;
    if (p->cap == 0) {
        p->committable = -1;
        p->committed = -1;
    }
    if (p->len == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->offsets = realloc(p->offsets, p->cap * sizeof(int64_t));
        p->done = realloc(p->done, p->cap);
        if (!p->offsets || !p->done) die("out of memory", NULL);
    }
    p->offsets[p->len] = offset;
    p->done[p->len] = 0;
    return p->len++;
}

/* opaque = (partition << 40) | seq */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    (void)opaque;
    uint64_t token = (uint64_t)(uintptr_t)m->_private;
    int32_t partition = (int32_t)(token >> 40);
    size_t seq = (size_t)(token & ((1ULL << 40) - 1));
    if (m->err) {
        /* No retry logic here: an idempotent producer already retried; the benchmark counts it. */
        fprintf(stderr, "passthrough: delivery failed: %s\n", rd_kafka_err2str(m->err));
        failed++;
        return;
    }
    partition_state *p = &parts[partition];
    p->done[seq] = 1;
    while (p->head < p->len && p->done[p->head]) {
        p->committable = p->offsets[p->head] + 1;
        p->head++;
    }
    delivered++;
}

static void commit(rd_kafka_t *consumer, const char *topic, int sync) {
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(16);
    size_t newly[MAX_PARTITIONS];
    int any = 0;
    for (int i = 0; i <= max_partition_seen; i++) {
        partition_state *p = &parts[i];
        newly[i] = 0;
        if (p->cap == 0 || p->committable < 0 || p->committable == p->committed) continue;
        rd_kafka_topic_partition_list_add(list, topic, i)->offset = p->committable;
        newly[i] = 1;
        any = 1;
    }
    if (any) {
        rd_kafka_resp_err_t err = rd_kafka_commit(consumer, list, sync ? 0 : 1);
        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
            fprintf(stderr, "passthrough: commit failed (the next one covers it): %s\n", rd_kafka_err2str(err));
        } else {
            for (int i = 0; i <= max_partition_seen; i++) {
                if (!newly[i]) continue;
                partition_state *p = &parts[i];
                p->committed = p->committable;
                committed_records += (long long)(p->head - p->committed_seq);
                p->committed_seq = p->head;
            }
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
}

static void usage(void) {
    fprintf(stderr,
            "usage: passthrough --brokers LIST --group G --input TOPIC --output TOPIC --count N\n"
            "                   [--batch 2000] [--commit-interval-ms 500] [-X prop=value ...]\n"
            "       passthrough --version\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *brokers = NULL, *group = NULL, *input = NULL, *output = NULL;
    long long count = -1;
    int batch = 2000, commit_interval_ms = 500;
    const char *extra[64];
    int extra_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--version")) {
            printf("%s\n", rd_kafka_version_str());
            return 0;
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
        else if (!strcmp(a, "-X") && extra_count < 64) extra[extra_count++] = v;
        else usage();
    }
    if (!brokers || !group || !input || !output || count <= 0 || batch <= 0) usage();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    double started = now_s();
    char err[512];

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

    /* Consumer: the settings Syncline's KafkaConsumer applies. */
    rd_kafka_conf_t *cconf = rd_kafka_conf_new();
    set(cconf, "bootstrap.servers", brokers);
    set(cconf, "client.id", "bench-passthrough");
    set(cconf, "socket.nagle.disable", "true");
    set(cconf, "group.id", group);
    set(cconf, "enable.auto.commit", "false");
    set(cconf, "enable.auto.offset.store", "false");
    set(cconf, "auto.offset.reset", "earliest");
    set(cconf, "queued.max.messages.kbytes", "16384");
    set(cconf, "fetch.wait.max.ms", "50");
    set(cconf, "session.timeout.ms", "10000");
    set(cconf, "heartbeat.interval.ms", "1000");
    set(cconf, "max.poll.interval.ms", "300000");

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
    rd_kafka_topic_t *out = rd_kafka_topic_new(producer, output, NULL);

    rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(sub, input, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t serr = rd_kafka_subscribe(consumer, sub);
    rd_kafka_topic_partition_list_destroy(sub);
    if (serr) die("subscribe", rd_kafka_err2str(serr));

    rd_kafka_message_t **msgs = calloc((size_t)batch, sizeof(*msgs));
    double first_record = 0, last_commit = now_s();
    int status = 0;

    while (!stop_requested) {
        ssize_t n = consumed < count ? rd_kafka_consume_batch_queue(queue, 100, msgs, (size_t)batch) : 0;
        if (consumed >= count) rd_kafka_poll(producer, 10);
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = msgs[i];
            if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    fprintf(stderr, "passthrough: consumer error: %s\n", rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
                continue;
            }
            if (first_record == 0) first_record = now_s();
            consumed++;
            size_t seq = track(m->partition, m->offset);
            uint64_t token = ((uint64_t)m->partition << 40) | (uint64_t)seq;
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
                    rd_kafka_poll(producer, 10); /* back-pressure: serve delivery reports, retry */
                    continue;
                }
                die("produce", rd_kafka_err2str(perr));
            }
            rd_kafka_message_destroy(m);
        }
        rd_kafka_poll(producer, 0);
        if (failed) {
            status = 1;
            break;
        }
        double t = now_s();
        if ((t - last_commit) * 1000.0 >= commit_interval_ms) {
            commit(consumer, input, 0);
            last_commit = t;
        }
        if (delivered >= count) {
            commit(consumer, input, 1);
            if (committed_records >= count) break;
        }
    }
    if (stop_requested) status = 3;

    rd_kafka_flush(producer, 5000);
    commit(consumer, input, 1);
    rd_kafka_queue_destroy(queue);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    rd_kafka_topic_destroy(out);
    rd_kafka_destroy(producer);
    double end = now_s();
    printf("{\"contender\":\"passthrough\",\"records_in\":%lld,\"records_out\":%lld,\"committed\":%lld,"
           "\"failed\":%lld,\"active_seconds\":%.3f,\"seconds\":%.3f,\"librdkafka\":\"%s\"}\n",
           consumed, delivered, committed_records, failed, first_record > 0 ? end - first_record : 0.0,
           end - started, rd_kafka_version_str());
    fflush(stdout);
    free(msgs);
    return status;
}
