#include "crash_mark.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const int marked_signals[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
#define MARKED_COUNT (sizeof(marked_signals) / sizeof(marked_signals[0]))
#define ALT_STACK_BYTES (256 * 1024)

static struct sigaction previous[MARKED_COUNT];
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static __thread volatile uint8_t *thread_flag;
static __thread void *thread_alt_stack;

static void mark_and_chain(int sig, siginfo_t *info, void *context) {
    volatile uint8_t *flag = thread_flag;
    if (flag != NULL) {
        flag[1] = (uint8_t)sig;
        flag[0] = 1;
    }
    for (size_t i = 0; i < MARKED_COUNT; i++) {
        if (marked_signals[i] != sig) continue;
        struct sigaction *old = &previous[i];
        if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction != NULL) {
            old->sa_sigaction(sig, info, context);
            return;
        }
        if (!(old->sa_flags & SA_SIGINFO) && old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
            old->sa_handler(sig);
            return;
        }
        // The default action: restore it; the faulting instruction runs again on return (or the
        // re-raised signal is delivered once this handler returns) and the process ends as before.
        sigaction(sig, old, NULL);
        raise(sig);
        return;
    }
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = mark_and_chain;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < MARKED_COUNT; i++) {
        sigaction(marked_signals[i], &action, &previous[i]);
    }
}

void syncline_crash_mark_install(void) { pthread_once(&install_once, install); }

int syncline_crash_mark_register_thread(volatile uint8_t *flag) {
    thread_flag = flag;
    if (thread_alt_stack != NULL) return 0;
    void *stack = malloc(ALT_STACK_BYTES);
    if (stack == NULL) return -1;
    stack_t alt;
    memset(&alt, 0, sizeof(alt));
    alt.ss_sp = stack;
    alt.ss_size = ALT_STACK_BYTES;
    if (sigaltstack(&alt, NULL) != 0) {
        free(stack);
        return -1;
    }
    thread_alt_stack = stack;
    return 0;
}

void syncline_crash_mark_unregister_thread(void) {
    thread_flag = NULL;
    if (thread_alt_stack == NULL) return;
    stack_t alt;
    memset(&alt, 0, sizeof(alt));
    alt.ss_flags = SS_DISABLE;
    sigaltstack(&alt, NULL);
    free(thread_alt_stack);
    thread_alt_stack = NULL;
}
