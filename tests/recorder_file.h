/* The file named by KEN_TEST_EVENT_LOG that the test observer apps
 * (tests/rest/recorder.c, tests/topology/topo_recorder.c) write one line
 * an event to, its lock, and the apps' start (opening it): written once
 * here so that both open, write and close it alike. Included by each app
 * once (static: each app is its own shared object). */
#ifndef KEN_TESTS_RECORDER_FILE_H
#define KEN_TESTS_RECORDER_FILE_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "ken/app.h"

/* Guards rec_file (and whatever else the app keeps beside it). */
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *rec_file;

/* Opens the file for appending, once, under lock: EIO when the
 * environment names one that cannot be opened, else 0. */
static inline int recorder_file_open(pthread_mutex_t *lock, FILE **f)
{
    const char *path = getenv("KEN_TEST_EVENT_LOG");
    pthread_mutex_lock(lock);
    if (path && !*f)
        *f = fopen(path, "a");
    pthread_mutex_unlock(lock);
    return path && !*f ? EIO : 0;
}

/* One line, flushed (no file: nothing); the caller holds its lock. */
static inline void recorder_file_line(FILE *f, const char *line)
{
    if (f) {
        fprintf(f, "%s\n", line);
        fflush(f);
    }
}

/* Closes the file (if open); the caller holds its lock. */
static inline void recorder_file_close(FILE **f)
{
    if (*f)
        fclose(*f);
    *f = NULL;
}

/* The app's start: opens the file. */
static int recorder_start(struct ken_app *app)
{
    (void)app;
    return recorder_file_open(&rec_lock, &rec_file);
}

#endif
