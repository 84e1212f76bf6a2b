// A fake wall clock for the tests (scripts/test-at), as an LD_PRELOAD library: CLOCK_REALTIME (and
// gettimeofday, time) read WALLCLOCK_OFFSET_S seconds ahead of the machine's clock (behind, if negative). It is no
// part of Seinhuis: the code under test keeps reading the real clock_gettime, and only this library moves it.
//
// Why not libfaketime: its wrappers of poll/ppoll/select/nanosleep (0.9.10, Debian 12) hang Foundation's
// Process.waitUntilExit after a child or two, so the end-to-end tests, which run the seinhuis binary, hang
// under it; with FAKETIME_DONT_FAKE_MONOTONIC=1 clock_nanosleep(TIMER_ABSTIME) fails with EINVAL; and an absolute
// FAKETIME ("@...") starts every process's clock afresh, so serve and the tests disagree by seconds. Here
// monotonic clocks, sleeps, polls and timers are left alone; only pthread_cond_timedwait, whose default clock is
// the realtime one, gets a deadline computed from the fake clock shifted back to the real one.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static int64_t offset_ns(void) {
    static int64_t cached = INT64_MIN;
    if (cached == INT64_MIN) {
        const char *s = getenv("WALLCLOCK_OFFSET_S");
        cached = s ? (int64_t)(strtod(s, NULL) * 1e9) : 0;
    }
    return cached;
}

static int is_realtime(clockid_t c) { return c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE || c == CLOCK_TAI; }

static void shift(struct timespec *t, int64_t ns) {
    int64_t total = (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec + ns;
    t->tv_sec = total / 1000000000LL;
    t->tv_nsec = total % 1000000000LL;
    if (t->tv_nsec < 0) { t->tv_nsec += 1000000000LL; t->tv_sec -= 1; }
}

int clock_gettime(clockid_t c, struct timespec *t) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = dlsym(RTLD_NEXT, "clock_gettime");
    int rc = real(c, t);
    if (rc == 0 && is_realtime(c)) shift(t, offset_ns());
    return rc;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    static int (*real)(struct timeval *restrict, void *restrict);
    if (!real) real = dlsym(RTLD_NEXT, "gettimeofday");
    int rc = real(tv, tz);
    if (rc == 0) {
        struct timespec t = {tv->tv_sec, tv->tv_usec * 1000};
        shift(&t, offset_ns());
        tv->tv_sec = t.tv_sec;
        tv->tv_usec = t.tv_nsec / 1000;
    }
    return rc;
}

time_t time(time_t *out) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    if (out) *out = t.tv_sec;
    return t.tv_sec;
}

int pthread_cond_timedwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m, const struct timespec *restrict at) {
    static int (*real)(pthread_cond_t *restrict, pthread_mutex_t *restrict, const struct timespec *restrict);
    if (!real) real = dlvsym(RTLD_NEXT, "pthread_cond_timedwait", "GLIBC_2.3.2");
    // Condition variables default to CLOCK_REALTIME, and a deadline computed from the fake clock lies near the fake
    // now; one on CLOCK_MONOTONIC (near the uptime) or from the real clock is left as it is.
    static int (*real_gettime)(clockid_t, struct timespec *);
    if (!real_gettime) real_gettime = dlsym(RTLD_NEXT, "clock_gettime");
    struct timespec now;
    real_gettime(CLOCK_REALTIME, &now);
    int64_t real_ns = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec, fake_ns = real_ns + offset_ns();
    int64_t at_ns = (int64_t)at->tv_sec * 1000000000LL + at->tv_nsec;
    int64_t to_fake = llabs(at_ns - fake_ns), to_real = llabs(at_ns - real_ns);
    if (offset_ns() == 0 || to_fake >= to_real || to_fake > 30LL * 86400 * 1000000000LL) return real(c, m, at);
    struct timespec t = *at;
    shift(&t, -offset_ns());
    return real(c, m, &t);
}
