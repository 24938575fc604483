// Marks, from a fatal-signal handler, that the crash happened on a thread that registered a flag.
// The runtime points the flag into a file it has mapped, so the mark outlives the process and
// the next start can tell which record the hub died on (the poison-pill guard). C, because a
// signal handler must be async-signal-safe: no allocation, no locks, no reference counting.
#ifndef SYNCLINE_CRASH_MARK_H
#define SYNCLINE_CRASH_MARK_H

#include <stdint.h>

/// Installs the handler for SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE and SIGABRT once per process,
/// chaining to whatever handler was there before (Swift's backtracer, or the default action).
void syncline_crash_mark_install(void);

/// Registers `flag` (two bytes: [0] = 1 when a fatal signal hit this thread, [1] = the signal
/// number) for the calling thread, and gives the thread an alternate signal stack so a stack
/// overflow still reaches the handler. Returns 0, or -1 if the alternate stack could not be set.
int syncline_crash_mark_register_thread(volatile uint8_t *flag);

/// Forgets the calling thread's flag and removes its alternate stack.
void syncline_crash_mark_unregister_thread(void);

#endif
