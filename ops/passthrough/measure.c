/*
 * measure: runs one command and writes its resource usage (from wait4) as JSON.
 *
 *   measure OUT.json -- COMMAND [ARGS...]
 *
 * ops/bench starts every contender through this small program instead of forking it from the
 * (large) Python driver: Linux records the forking parent's peak RSS as the child's ru_maxrss
 * baseline at exec, so a contender forked from a 400 MB driver would report >= 400 MB. Forked
 * from this ~1 MB process, ru_maxrss is the contender's own peak.
 * Exits with the command's exit code (128 + signal when it was killed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: measure OUT.json -- COMMAND [ARGS...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        fprintf(stderr, "measure: cannot run %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("measure: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror("measure: output file");
        return 2;
    }
    fprintf(f,
            "{\"exit_code\":%d,\"signal\":%d,\"utime_s\":%.6f,\"stime_s\":%.6f,\"maxrss_kb\":%ld,"
            "\"wall_s\":%.6f,\"minflt\":%ld,\"majflt\":%ld,\"nvcsw\":%ld,\"nivcsw\":%ld}\n",
            code, WIFSIGNALED(status) ? WTERMSIG(status) : 0, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
            ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss,
            (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_minflt, ru.ru_majflt, ru.ru_nvcsw,
            ru.ru_nivcsw);
    fclose(f);
    return code;
}
